// The key to certify and its proof of possession: a public key with a signature over the
// challenge claim, or a PKCS#10 request whose self-signature is the proof.
import { CryptoError, importPublicKey, verifySignature, type PublicKey } from '@sigil/crypto';
import { decodeBase64, pemToDer, typeOf, utf8Decode, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { verifyWithAlgorithm, X509Error } from '@sigil/x509';
import { parseCertificationRequest } from './certification-request.js';
import type { Principal } from './principal.js';
import { refuse } from './reasons.js';

// Fulcio's limits (pkg/challenges): RSA from 2048 to 4096 bits.
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;

/** `publicKeyRequest`: the key (PEM or base64 DER SPKI) and a signature over the challenge. */
export function keyFromPublicKeyRequest(request: unknown, principal: Principal): PublicKey {
  const { publicKey, proofOfPossession } = objectField(request, 'publicKeyRequest');
  const { content } = objectField(publicKey, 'publicKeyRequest.publicKey');
  if (typeof content !== 'string' || content === '') refuse('FULCIO_REQUEST_INVALID', `publicKeyRequest.publicKey.content: expected a PEM or base64 DER public key, found ${typeOf(content)}`);
  const key = importKey(content);
  if (typeof proofOfPossession !== 'string' || proofOfPossession === '') {
    refuse('FULCIO_REQUEST_INVALID', `publicKeyRequest.proofOfPossession: expected a base64 signature over the "${principal.challengeClaim}" claim, found ${typeOf(proofOfPossession)}`);
  }
  let signature: Uint8Array;
  try {
    signature = decodeBase64(proofOfPossession, 'proofOfPossession');
  } catch (err) {
    refuse('FULCIO_POP_INVALID', `proof of possession: not base64 (${describeError(err)})`);
  }
  if (!safeVerify(() => verifySignature(key, utf8Encode(principal.challenge), signature))) {
    refuse(
      'FULCIO_POP_INVALID',
      `proof of possession: the signature does not verify over the token's "${principal.challengeClaim}" claim ("${principal.challenge}") with the given ${describeKey(key)} key`,
    );
  }
  return key;
}

/** `certificateSigningRequest`: base64 of a PEM (or DER) PKCS#10 request, checked against its own key. */
export function keyFromCertificationRequest(encoded: unknown): PublicKey {
  if (typeof encoded !== 'string' || encoded === '') refuse('FULCIO_REQUEST_INVALID', `certificateSigningRequest: expected base64 of a PEM CSR, found ${typeOf(encoded)}`);
  let der: Uint8Array;
  try {
    const bytes = decodeBase64(encoded, 'certificateSigningRequest');
    const text = bytes[0] === 0x2d ? utf8Decode(bytes, 'certificateSigningRequest') : undefined; // '-': PEM
    der = text === undefined ? bytes : pemToDer(text, 'CERTIFICATE REQUEST', 'certificateSigningRequest');
  } catch (err) {
    refuse('FULCIO_CSR_MALFORMED', `certificateSigningRequest: expected base64 of a PEM "CERTIFICATE REQUEST" (${describeError(err)})`);
  }
  const csr = parseCertificationRequest(der);
  const key = importSpki(csr.spki);
  let valid: boolean;
  try {
    valid = verifyWithAlgorithm(key, csr.signatureAlgorithm, csr.info, csr.signature);
  } catch (err) {
    if (err instanceof X509Error) refuse('FULCIO_KEY_UNSUPPORTED', `certificateSigningRequest: ${err.message}`);
    throw err;
  }
  if (!valid) refuse('FULCIO_POP_INVALID', `certificateSigningRequest: its self-signature (${csr.signatureAlgorithm.oid}) does not verify with its ${describeKey(key)} key`);
  return key;
}

function importKey(content: string): PublicKey {
  let spki: Uint8Array;
  try {
    spki = content.includes('-----BEGIN') ? pemToDer(content, 'PUBLIC KEY', 'public key') : decodeBase64(content, 'public key');
  } catch (err) {
    refuse('FULCIO_KEY_MALFORMED', `publicKeyRequest.publicKey.content: expected a PEM "PUBLIC KEY" or base64 DER SubjectPublicKeyInfo (${describeError(err)})`);
  }
  return importSpki(spki);
}

function importSpki(spki: Uint8Array): PublicKey {
  let key: PublicKey;
  try {
    key = importPublicKey(spki, 'public key');
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'CRYPTO_UNSUPPORTED_KEY') refuse('FULCIO_KEY_UNSUPPORTED', `public key: ${err.message} (expected ECDSA, RSA or Ed25519)`);
    refuse('FULCIO_KEY_MALFORMED', `public key: not a valid SubjectPublicKeyInfo (${describeError(err)})`);
  }
  if (key.kind === 'rsa' && (key.bits < RSA_MIN_BITS || key.bits > RSA_MAX_BITS)) {
    refuse('FULCIO_KEY_UNSUPPORTED', `public key: RSA keys must have ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits, found ${key.bits}`);
  }
  return key;
}

function safeVerify(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

function describeKey(key: PublicKey): string {
  return key.kind === 'ecdsa' ? `ECDSA ${key.curve}` : key.kind === 'rsa' ? `RSA ${key.bits}-bit` : 'Ed25519';
}

function objectField(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('FULCIO_REQUEST_INVALID', `${what}: expected an object, found ${typeOf(value)}`);
  return value as Record<string, unknown>;
}
