// Proposed Rekor entries made cheaply: one ephemeral P-256 key certified once by the stack's CA,
// reused across entries that differ in the signed artifact.
import { randomBytes } from 'node:crypto';
import { preAuthEncoding } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { derToPem, encodeBase64, encodeHex, utf8Encode } from '@sigil/encoding';
import { dsseV002Request, hashedRekordV002Request } from '@sigil/rekor/client';
import { createCertificateAuthority, generateSigningKey, type CertificateAuthority, type CtLog, type SigningKey } from '../../../src/index.js';

export const SIGNER_EMAIL = 'signer@example.com';
export const SIGNER_ISSUER = 'https://oidc.local';

export interface EntrySigner {
  ca: CertificateAuthority;
  key: SigningKey;
  certificate: Uint8Array;
  certificatePem: string;
  /** A hashedrekord 0.0.1 proposed entry over a fresh random artifact (or the one given). */
  hashedRekord(artifact?: Uint8Array): { proposed: Record<string, any>; artifact: Uint8Array; digest: Uint8Array; signature: Uint8Array };
  /** A Rekor v2 hashedrekord 0.0.2 request over a fresh random artifact. */
  hashedRekordV2(): { request: Record<string, unknown>; digest: Uint8Array; signature: Uint8Array };
  /** A Rekor v2 dsse 0.0.2 request over an in-toto statement naming `subject`. */
  dsseV2(subject?: string): { request: Record<string, unknown>; payload: Uint8Array; signature: Uint8Array };
  /** A dsse 0.0.1 proposed entry over an in-toto statement naming `subject`. */
  dsse(subject?: string): { proposed: Record<string, any>; envelope: Record<string, any>; envelopeText: string; payload: Uint8Array; signature: Uint8Array };
}

/** `ctLogs`: embed their SCTs, for a certificate that verifiers accept. */
export function createEntrySigner(ca: CertificateAuthority = createCertificateAuthority(), ctLogs: CtLog[] = []): EntrySigner {
  const key = generateSigningKey('P-256');
  const certificate = ca.issueLeaf({ publicKey: key.spki, san: { type: 'email', value: SIGNER_EMAIL }, issuer: SIGNER_ISSUER, lifetimeSeconds: 3600, ctLogs });
  const certificatePem = derToPem(certificate, 'CERTIFICATE');
  const verifier = encodeBase64(utf8Encode(certificatePem));
  const rawVerifier = { type: 'certificate' as const, der: certificate, keyDetails: 'PKIX_ECDSA_P256_SHA_256' };
  return {
    ca,
    key,
    certificate,
    certificatePem,
    hashedRekord(artifact = randomBytes(24)) {
      const digest = sha256(artifact);
      const signature = key.sign(artifact);
      const proposed = {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: encodeHex(digest) } },
          signature: { content: encodeBase64(signature), publicKey: { content: verifier } },
        },
      };
      return { proposed, artifact, digest, signature };
    },
    hashedRekordV2() {
      const artifact = randomBytes(24);
      const digest = sha256(artifact);
      const signature = key.sign(artifact);
      return { request: hashedRekordV002Request({ digest, signature, verifier: rawVerifier }), digest, signature };
    },
    dsseV2(subject = encodeHex(randomBytes(8))) {
      const { payload, signature, envelope } = this.dsse(subject);
      const request = dsseV002Request({ payload, payloadType: envelope.payloadType, signatures: [{ sig: signature }], verifiers: [rawVerifier] });
      return { request, payload, signature };
    },
    dsse(subject = encodeHex(randomBytes(8))) {
      const statement = {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: subject, digest: { sha256: encodeHex(sha256(utf8Encode(subject))) } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: {},
      };
      const payload = utf8Encode(JSON.stringify(statement));
      const payloadType = 'application/vnd.in-toto+json';
      const signature = key.sign(preAuthEncoding(payloadType, payload));
      const envelope = { payload: encodeBase64(payload), payloadType, signatures: [{ sig: encodeBase64(signature), keyid: '' }] };
      const envelopeText = JSON.stringify(envelope);
      const proposed = { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeText, verifiers: [verifier] } } };
      return { proposed, envelope, envelopeText, payload, signature };
    },
  };
}
