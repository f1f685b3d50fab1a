// POST /api/v2/log/entries bodies checked as rekor-tiles checks them (pkg/types/hashedrekord,
// and dsse before rekor-tiles dropped it): the verifier parsed and its algorithm matching
// keyDetails, the signature verified over the digest or the DSSE PAE, a certificate chaining
// to the stack's Fulcio; then the canonical v0.0.2 body, byte for byte.
import { preAuthEncoding } from '@sigil/bundle';
import { HASH_SIZE, importPublicKey, sha256, verifySignature, type HashAlgorithm, type PublicKey } from '@sigil/crypto';
import { encodeBase64 } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { dsseV002Body, hashedRekordV002Body, KEY_DETAILS_HASH, type RawVerifier } from '@sigil/rekor';
import { parseCertificate } from '@sigil/x509';
import { HttpError } from '../http/index.js';
import type { CertificateTrust } from '../rekor-server/certificate-trust.js';
import { refusal } from '../rekor-server/reasons.js';
import { cachedReads } from '../rekor-server/service-setup.js';
import { arrayField, base64Field, objectField, stringField } from '../rekor-server/request-fields.js';
import type { SignatureChecks } from '../rekor-server/signature-checks.js';

/** rekor-tiles' limits for DSSE requests. */
const MAX_DSSE_SIGNATURES = 10;
const MAX_DSSE_VERIFIERS = 10;

export interface CheckedRequest {
  kind: 'hashedrekord' | 'dsse';
  body: Uint8Array;
}

interface ReadVerifier {
  raw: RawVerifier;
  key: PublicKey;
  /** The hash keyDetails names; undefined for PKIX_ED25519. */
  hash: HashAlgorithm | undefined;
}

export type EntryRequestChecker = (request: unknown) => Promise<CheckedRequest>;

export function createEntryRequestChecker(trust: CertificateTrust | undefined, checks: SignatureChecks): EntryRequestChecker {
  const cached = cachedReads<ReadVerifier>();
  const readVerifier = (value: unknown, what: string): ReadVerifier => {
    const verifier = objectField(value, what);
    const keyDetails = stringField(verifier.keyDetails, `${what}.keyDetails`);
    const certificate = verifier.x509Certificate;
    const publicKey = verifier.publicKey;
    if ((certificate === undefined) === (publicKey === undefined)) throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected exactly one of x509Certificate and publicKey`);
    const type = certificate !== undefined ? 'certificate' : 'publicKey';
    const der = base64Field(objectField(certificate ?? publicKey, `${what}.${type === 'certificate' ? 'x509Certificate' : 'publicKey'}`).rawBytes, `${what} rawBytes`);
    const snapshot = type === 'certificate' ? trust?.current() : undefined;
    const key = `${what} ${keyDetails} ${snapshot?.id ?? ''} ${type} ${encodeBase64(der)}`;
    return cached(key, () => readRaw({ type, der, keyDetails }, what, (leaf) => snapshot && trust!.check(leaf, snapshot)));
  };

  return async (request) => {
    const fields = objectField(request, 'create entry request', 'REKOR_BODY_MALFORMED');
    const given = Object.keys(fields);
    if (given.length !== 1 || (given[0] !== 'hashedRekordRequestV002' && given[0] !== 'dsseRequestV002')) {
      throw refusal('REKOR_KIND_UNSUPPORTED', `create entry request: expected one of hashedRekordRequestV002 and dsseRequestV002, found ${given.length === 0 ? 'none' : given.join(', ')}`);
    }
    if (given[0] === 'hashedRekordRequestV002') return { kind: 'hashedrekord', body: await hashedRekord(objectField(fields.hashedRekordRequestV002, 'hashedRekordRequestV002'), readVerifier, checks) };
    return { kind: 'dsse', body: dsse(objectField(fields.dsseRequestV002, 'dsseRequestV002'), readVerifier) };
  };
}

async function hashedRekord(request: Record<string, unknown>, readVerifier: (value: unknown, what: string) => ReadVerifier, checks: SignatureChecks): Promise<Uint8Array> {
  const digest = base64Field(request.digest, 'hashedRekordRequestV002.digest');
  const signature = objectField(request.signature, 'hashedRekordRequestV002.signature');
  const content = base64Field(signature.content, 'hashedRekordRequestV002.signature.content');
  const verifier = readVerifier(signature.verifier, 'hashedRekordRequestV002.signature.verifier');
  if (!verifier.hash) throw refusal('REKOR_KEY_UNSUPPORTED', `hashedRekordRequestV002.signature.verifier: ${verifier.raw.keyDetails} signs whole messages; a digest alone cannot be checked`);
  if (digest.length !== HASH_SIZE[verifier.hash]) {
    throw refusal('REKOR_ENTRY_MALFORMED', `hashedRekordRequestV002.digest: expected ${HASH_SIZE[verifier.hash]} bytes for ${verifier.raw.keyDetails}, found ${digest.length}`);
  }
  let valid: boolean;
  try {
    valid = await checks.verifyDigest(verifier.key, digest, content, verifier.hash);
  } catch (err) {
    throw refusal('REKOR_KEY_UNSUPPORTED', `hashedRekordRequestV002.signature: cannot be checked (${describeError(err)})`);
  }
  if (!valid) throw refusal('REKOR_SIGNATURE_INVALID', `hashedRekordRequestV002.signature: the signature does not verify over the ${verifier.hash} digest with the given ${verifier.raw.type === 'certificate' ? 'certificate' : 'public key'}`);
  return hashedRekordV002Body({ digest, signature: content, verifier: verifier.raw });
}

function dsse(request: Record<string, unknown>, readVerifier: (value: unknown, what: string) => ReadVerifier): Uint8Array {
  const envelope = objectField(request.envelope, 'dsseRequestV002.envelope');
  const payload = base64Field(envelope.payload, 'dsseRequestV002.envelope.payload');
  const payloadType = stringField(envelope.payloadType, 'dsseRequestV002.envelope.payloadType');
  const signatures = arrayField(envelope.signatures, 'dsseRequestV002.envelope.signatures', MAX_DSSE_SIGNATURES).map((item, i) =>
    base64Field(objectField(item, `dsseRequestV002.envelope.signatures[${i}]`).sig, `dsseRequestV002.envelope.signatures[${i}].sig`),
  );
  const verifiers = arrayField(request.verifiers, 'dsseRequestV002.verifiers', MAX_DSSE_VERIFIERS).map((item, i) => readVerifier(item, `dsseRequestV002.verifiers[${i}]`));
  const seen = new Set(verifiers.map((v) => encodeBase64(v.raw.der)));
  if (seen.size !== verifiers.length) throw refusal('REKOR_ENTRY_MALFORMED', 'dsseRequestV002.verifiers: expected distinct verifiers, found a duplicate');
  const pae = preAuthEncoding(payloadType, payload);
  // As rekor-tiles did: every signature must verify with one of the verifiers, over the PAE.
  const signed = signatures.map((signature, i) => {
    const verifier = verifiers.find((v) => verifySignature(v.key, pae, signature, v.hash ? { hash: v.hash } : {}));
    if (!verifier) throw refusal('REKOR_SIGNATURE_INVALID', `dsseRequestV002.envelope.signatures[${i}]: no verifier given verifies it over the DSSE PAE`);
    return { signature, verifier: verifier.raw };
  });
  const unique = [...new Map(signed.map((item) => [encodeBase64(item.signature), item])).values()];
  return dsseV002Body({ payloadHash: sha256(payload), signatures: unique });
}

/** PublicKeyDetails names this stack accepts, by the key each names. */
const KEY_DETAILS: Record<string, { kind: PublicKey['kind']; curve?: string }> = {
  PKIX_ECDSA_P256_SHA_256: { kind: 'ecdsa', curve: 'P-256' },
  PKIX_ECDSA_P384_SHA_384: { kind: 'ecdsa', curve: 'P-384' },
  PKIX_ECDSA_P521_SHA_512: { kind: 'ecdsa', curve: 'P-521' },
  PKIX_RSA_PKCS1V15_2048_SHA256: { kind: 'rsa' },
  PKIX_RSA_PKCS1V15_3072_SHA256: { kind: 'rsa' },
  PKIX_RSA_PKCS1V15_4096_SHA256: { kind: 'rsa' },
  PKIX_ED25519: { kind: 'ed25519' },
};

function readRaw(raw: RawVerifier, what: string, checkTrust: (leaf: ReturnType<typeof parseCertificate>) => void): ReadVerifier {
  const wanted = KEY_DETAILS[raw.keyDetails];
  if (!wanted) throw refusal('REKOR_KEY_UNSUPPORTED', `${what}.keyDetails: expected one of ${Object.keys(KEY_DETAILS).join(', ')}, found ${JSON.stringify(raw.keyDetails.slice(0, 60))}`);
  let key: PublicKey;
  let leaf: ReturnType<typeof parseCertificate> | undefined;
  try {
    if (raw.type === 'certificate') {
      leaf = parseCertificate(raw.der, what);
      key = leaf.publicKey;
    } else {
      key = importPublicKey(raw.der, what);
    }
  } catch (err) {
    throw refusal('REKOR_KEY_UNSUPPORTED', `${what}: expected ${raw.type === 'certificate' ? 'a DER X.509 certificate' : 'a DER public key'} with a supported key (${describeError(err)})`);
  }
  const bits = key.kind === 'rsa' ? Number(/_(\d{4})_/.exec(raw.keyDetails)?.[1]) : undefined;
  if (key.kind !== wanted.kind || (key.kind === 'ecdsa' && key.curve !== wanted.curve) || (key.kind === 'rsa' && key.bits !== bits)) {
    const found = key.kind === 'ecdsa' ? `an ECDSA ${key.curve} key` : key.kind === 'rsa' ? `an RSA-${key.bits} key` : 'an Ed25519 key';
    throw refusal('REKOR_KEY_UNSUPPORTED', `${what}: keyDetails ${raw.keyDetails} does not match the key given, ${found}`);
  }
  if (leaf) {
    try {
      checkTrust(leaf);
    } catch (err) {
      throw err instanceof HttpError ? new HttpError(err.status, `${what}: ${err.message}`, err.headers, err.reason) : err;
    }
  }
  return { raw, key, hash: KEY_DETAILS_HASH[raw.keyDetails] };
}

