import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derToPem } from '@sigil/encoding';
import { dsseV001Body, entryUuid, hashedRekordV001Body, parseEntryBody } from '../src/index.js';
import { b64, bundleLeafDer, corpusCases, expectRekorError, toHex } from './fixtures.js';

const HASH_NAMES = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' } as const;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const pemOf = (verifier: { type: string; der: Uint8Array }) => derToPem(verifier.der, verifier.type === 'certificate' ? 'CERTIFICATE' : 'PUBLIC KEY');

const hashedRekords = corpusCases().filter((c) => c.entry.kindVersion.kind === 'hashedrekord' && c.entry.kindVersion.version === '0.0.1');
const dsses = corpusCases().filter((c) => c.entry.kindVersion.kind === 'dsse');

describe('Rekor canonical bodies: hashedrekord 0.0.1', () => {
  it('has real bodies to rebuild', () => expect(hashedRekords.length).toBeGreaterThanOrEqual(10));

  for (const { name, bundle, entry } of hashedRekords) {
    it(`${name}: rebuilding from the parsed body, and from the bundle alone, gives the logged bytes`, () => {
      const logged = b64(entry.canonicalizedBody);
      const parsed = parseEntryBody(logged);
      const fromBody = hashedRekordV001Body({
        digest: parsed.artifactDigest!.digest,
        algorithm: parsed.artifactDigest!.algorithm,
        signature: parsed.signatures[0]!,
        verifierPem: pemOf(parsed.verifiers[0]!),
      });
      expect(text(fromBody)).toBe(text(logged));

      const { messageDigest, signature } = bundle.messageSignature;
      const fromBundle = hashedRekordV001Body({
        digest: b64(messageDigest.digest),
        algorithm: HASH_NAMES[messageDigest.algorithm as keyof typeof HASH_NAMES],
        signature: b64(signature),
        // Any PEM spelling: the builder re-encodes it as Rekor does.
        verifierPem: derToPem(bundleLeafDer(bundle)!, 'CERTIFICATE').replaceAll('\n', '\r\n'),
      });
      expect(text(fromBundle)).toBe(text(logged));
      expect(entryUuid(fromBundle)).toBe(entryUuid(logged));
    });
  }

  it('logs a public key as one canonical PUBLIC KEY block', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const body = hashedRekordV001Body({ digest: new Uint8Array(32), algorithm: 'sha256', signature: Uint8Array.of(1), verifierPem: pem });
    const parsed = parseEntryBody(body, { kind: 'hashedrekord', version: '0.0.1' });
    expect(parsed.verifiers[0]!.type).toBe('publicKey');
    expect(toHex(parsed.verifiers[0]!.der)).toBe(toHex(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }))));
  });
});

describe('Rekor canonical bodies: dsse 0.0.1', () => {
  for (const { name, bundle, entry } of dsses) {
    it(`${name}: rebuilding gives the logged bytes`, () => {
      const logged = b64(entry.canonicalizedBody);
      const parsed = parseEntryBody(logged);
      const payloadHash = new Uint8Array(createHash('sha256').update(b64(bundle.dsseEnvelope.payload)).digest());
      expect(toHex(payloadHash)).toBe(toHex(parsed.payloadHash!.digest));
      const rebuilt = dsseV001Body({
        payloadHash,
        envelopeHash: parsed.envelopeHash!.digest,
        signatures: parsed.signatures.map((signature, i) => ({ signature, verifierPem: pemOf(parsed.verifiers[i]!) })),
      });
      expect(text(rebuilt)).toBe(text(logged));
    });
  }

  it('sorts signatures by their base64 text and drops repeats', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const verifierPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const hash = new Uint8Array(32).fill(1);
    const body = dsseV001Body({
      payloadHash: hash,
      envelopeHash: hash,
      signatures: [Uint8Array.of(0xff), Uint8Array.of(0x00), Uint8Array.of(0xff)].map((signature) => ({ signature, verifierPem })),
    });
    // By text, not bytes: "/w==" (0xff) sorts before "AA==" (0x00).
    expect(parseEntryBody(body).signatures).toEqual([Uint8Array.of(0xff), Uint8Array.of(0x00)]);
  });
});

describe('Rekor canonical bodies: bad input', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const verifierPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const good = { digest: new Uint8Array(32), algorithm: 'sha256' as const, signature: Uint8Array.of(1), verifierPem };
  const hash = new Uint8Array(32);

  it('hashedRekordV001Body', () => {
    const bad = (patch: object) => () => hashedRekordV001Body({ ...good, ...patch } as never);
    expectRekorError(bad({ algorithm: 'md5' }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ digest: new Uint8Array(48) }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ signature: new Uint8Array() }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ signature: 'MEUC' }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ verifierPem: 42 }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ verifierPem: 'not pem' }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ verifierPem: verifierPem + verifierPem }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ verifierPem: verifierPem.replaceAll('PUBLIC KEY', 'PRIVATE KEY') }), 'REKOR_INPUT_INVALID');
    expectRekorError(() => hashedRekordV001Body(undefined as never), 'REKOR_INPUT_INVALID');
  });

  it('dsseV001Body', () => {
    const bad = (fields: object) => () => dsseV001Body(fields as never);
    const signatures = [{ signature: Uint8Array.of(1), verifierPem }];
    expectRekorError(bad({ payloadHash: hash, envelopeHash: hash, signatures: [] }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ payloadHash: hash, envelopeHash: hash }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ payloadHash: hash, envelopeHash: new Uint8Array(20), signatures }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ payloadHash: 'ab', envelopeHash: hash, signatures }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ payloadHash: hash, envelopeHash: hash, signatures: [null] }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ payloadHash: hash, envelopeHash: hash, signatures: [{ signature: Uint8Array.of(1) }] }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad(undefined as never), 'REKOR_INPUT_INVALID');
  });

  it('entryUuid', () => {
    expect(entryUuid(new TextEncoder().encode('{}'))).toMatch(/^[0-9a-f]{64}$/);
    expectRekorError(() => entryUuid('{}' as never), 'REKOR_INPUT_INVALID');
  });
});
