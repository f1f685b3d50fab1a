import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dsseV002Body, hashedRekordV002Body, parseEntryBody } from '../src/index.js';
import { hashedRekordV002Request } from '../src/client/index.js';
import { b64, toB64 } from './fixtures.js';

// Real Rekor v2 entries (public-good log2025-1 and staging's log2025-alpha1, from the corpus):
// the builders must make, byte for byte, the canonical body rekor-tiles logged for the
// bundle's signature, digest and certificate.
const corpus = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test-infra/fixtures/corpus/${name}/bundle.json`, import.meta.url)), 'utf8'));

function pae(type: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);
}

describe('Rekor v2 canonical bodies', () => {
  for (const name of ['py-rekor2-staging-hashedrekord', 'java-rekor2-prod-dsse']) {
    it(`rebuilds the hashedrekord 0.0.2 body of ${name}`, () => {
      const bundle = corpus(name);
      const entry = bundle.verificationMaterial.tlogEntries[0];
      const certificate = b64(bundle.verificationMaterial.certificate.rawBytes);
      const envelope = bundle.dsseEnvelope;
      const signature = b64(envelope ? envelope.signatures[0].sig : bundle.messageSignature.signature);
      const digest = envelope
        ? new Uint8Array(createHash('sha256').update(pae(envelope.payloadType, b64(envelope.payload))).digest())
        : b64(bundle.messageSignature.messageDigest.digest);
      const verifier = { type: 'certificate' as const, der: certificate, keyDetails: 'PKIX_ECDSA_P256_SHA_256' };
      const body = hashedRekordV002Body({ digest, signature, verifier });
      expect(toB64(body)).toBe(entry.canonicalizedBody);
      expect(parseEntryBody(body, { kind: 'hashedrekord', version: '0.0.2' }).artifactDigest?.digest).toEqual(digest);
      // The request rekor-tiles took carries the same fields, in protobuf JSON.
      expect(hashedRekordV002Request({ digest, signature, verifier })).toEqual({
        hashedRekordRequestV002: { digest: toB64(digest), signature: { content: toB64(signature), verifier: { keyDetails: 'PKIX_ECDSA_P256_SHA_256', x509Certificate: { rawBytes: toB64(certificate) } } } },
      });
    });
  }

  it('writes dsse 0.0.2 bodies that parse back, signatures in byte order, and refuses bad input', () => {
    const verifier = { type: 'publicKey' as const, der: new Uint8Array(91).fill(4), keyDetails: 'PKIX_ECDSA_P256_SHA_256' };
    const body = dsseV002Body({ payloadHash: new Uint8Array(32).fill(1), signatures: [{ signature: Uint8Array.of(2, 2), verifier }, { signature: Uint8Array.of(1, 9), verifier }] });
    const parsed = JSON.parse(Buffer.from(body).toString());
    expect(parsed.spec.dsseV002.signatures.map((s: { content: string }) => s.content)).toEqual([toB64(Uint8Array.of(1, 9)), toB64(Uint8Array.of(2, 2))]);
    expect(parseEntryBody(body, { kind: 'dsse', version: '0.0.2' }).signatures).toHaveLength(2);
    expect(() => hashedRekordV002Body({ digest: new Uint8Array(31), signature: Uint8Array.of(1), verifier })).toThrow(/32 bytes/);
    expect(() => hashedRekordV002Body({ digest: new Uint8Array(32), signature: Uint8Array.of(1), verifier: { ...verifier, keyDetails: 'PKIX_ED25519' } })).toThrow(/prehashing/);
  });
});
