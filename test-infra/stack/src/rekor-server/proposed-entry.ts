// A proposed entry (POST /api/v1/log/entries) checked the way Rekor v1 checks it, signatures
// included, and turned into the canonical body Rekor would store, byte for byte.
import { preAuthEncoding } from '@sigil/bundle';
import { HASH_SIZE, sha256, verifySignature, type HashAlgorithm } from '@sigil/crypto';
import { canonicalJson, decodeHex, encodeBase64, encodeHex, utf8Decode, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { dsseV001Body, hashedRekordV001Body } from '@sigil/rekor';
import { refusal } from './reasons.js';
import type { EntryVerifier, VerifierReader } from './entry-verifier.js';
import { arrayField, base64Field, objectField, stringField } from './request-fields.js';
import type { SignatureChecks } from './signature-checks.js';

const MAX_DSSE_SIGNATURES = 16;
const MAX_DSSE_VERIFIERS = 16;

/** Checks a proposed entry and returns its canonical body; throws a 4xx refusal (reasons.ts) naming the failed check. */
export async function prepareEntry(proposed: unknown, readVerifier: VerifierReader, checks: SignatureChecks): Promise<Uint8Array> {
  const entry = objectField(proposed, 'proposed entry');
  const kind = stringField(entry.kind, 'kind');
  const apiVersion = stringField(entry.apiVersion, 'apiVersion');
  if (kind !== 'hashedrekord' && kind !== 'dsse') throw refusal('REKOR_KIND_UNSUPPORTED', `kind: expected hashedrekord or dsse, found "${kind}"`);
  if (apiVersion !== '0.0.1') throw refusal('REKOR_KIND_UNSUPPORTED', `apiVersion: expected 0.0.1 for ${kind}, found "${apiVersion}"`);
  const spec = objectField(entry.spec, `${kind} spec`);
  return kind === 'hashedrekord' ? hashedRekord(spec, readVerifier, checks) : dsse(spec, readVerifier);
}

async function hashedRekord(spec: Record<string, unknown>, readVerifier: VerifierReader, checks: SignatureChecks): Promise<Uint8Array> {
  const hash = objectField(objectField(spec.data, 'hashedrekord spec.data').hash, 'hashedrekord spec.data.hash');
  const algorithm = stringField(hash.algorithm, 'hashedrekord spec.data.hash.algorithm');
  if (algorithm !== 'sha256' && algorithm !== 'sha384' && algorithm !== 'sha512') {
    throw refusal('REKOR_ENTRY_MALFORMED', `hashedrekord spec.data.hash.algorithm: expected sha256, sha384 or sha512, found "${algorithm}"`);
  }
  const value = stringField(hash.value, 'hashedrekord spec.data.hash.value');
  if (value.length !== HASH_SIZE[algorithm] * 2 || !/^[0-9a-fA-F]+$/.test(value)) {
    throw refusal('REKOR_ENTRY_MALFORMED', `hashedrekord spec.data.hash.value: expected ${HASH_SIZE[algorithm] * 2} hex digits for ${algorithm}, found ${value.length} characters`);
  }
  const digest = decodeHex(value.toLowerCase(), 'hashedrekord digest');
  const signature = objectField(spec.signature, 'hashedrekord spec.signature');
  const signatureBytes = base64Field(signature.content, 'hashedrekord spec.signature.content');
  const verifier = readVerifier(objectField(signature.publicKey, 'hashedrekord spec.signature.publicKey').content, 'hashedrekord spec.signature.publicKey.content');
  const body = hashedRekordBody(verifier, { digest, algorithm, signature: signatureBytes });
  if (!(await verifiesDigest(checks, verifier, digest, signatureBytes, algorithm))) {
    throw refusal('REKOR_SIGNATURE_INVALID', `hashedrekord spec.signature: the signature does not verify over the ${algorithm} digest with the given ${keyName(verifier)}`);
  }
  return body;
}

// The builder re-encodes the verifier's PEM canonically on every call, a third of what it
// costs; the result depends on the verifier alone. So the builder makes each verifier's first
// body, the canonical publicKey content is read back from it, and later bodies are the same
// RFC 8785 document with that content (a test checks they match the builder's byte for byte).
const canonicalVerifier = new WeakMap<EntryVerifier, string>();

function hashedRekordBody(verifier: EntryVerifier, fields: { digest: Uint8Array; algorithm: HashAlgorithm; signature: Uint8Array }): Uint8Array {
  const content = canonicalVerifier.get(verifier);
  if (content === undefined) {
    const body = build(() => hashedRekordV001Body({ ...fields, verifierPem: verifier.pem }));
    const logged = JSON.parse(utf8Decode(body)) as { spec: { signature: { publicKey: { content: string } } } };
    canonicalVerifier.set(verifier, logged.spec.signature.publicKey.content);
    return body;
  }
  const spec = {
    data: { hash: { algorithm: fields.algorithm, value: encodeHex(fields.digest) } },
    signature: { content: encodeBase64(fields.signature), publicKey: { content } },
  };
  return utf8Encode(canonicalJson({ apiVersion: '0.0.1', kind: 'hashedrekord', spec }));
}

async function verifiesDigest(checks: SignatureChecks, verifier: EntryVerifier, digest: Uint8Array, signature: Uint8Array, algorithm: HashAlgorithm): Promise<boolean> {
  const { key } = verifier;
  if (key.kind === 'ed25519') throw refusal('REKOR_KEY_UNSUPPORTED', 'hashedrekord spec.signature.publicKey: Ed25519 keys sign whole messages; a digest alone cannot be checked');
  try {
    return await checks.verifyDigest(key, digest, signature, algorithm);
  } catch (err) {
    throw refusal('REKOR_KEY_UNSUPPORTED', `hashedrekord spec.signature: cannot be checked (${describeError(err)})`);
  }
}

function dsse(spec: Record<string, unknown>, readVerifier: VerifierReader): Uint8Array {
  const proposed = objectField(spec.proposedContent, 'dsse spec.proposedContent');
  for (const field of ['envelopeHash', 'payloadHash', 'signatures']) {
    if (spec[field] !== undefined) throw refusal('REKOR_ENTRY_MALFORMED', `dsse spec.${field}: the log computes it; expected proposedContent alone`);
  }
  const envelopeText = stringField(proposed.envelope, 'dsse spec.proposedContent.envelope');
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelopeText);
  } catch (err) {
    throw refusal('REKOR_ENTRY_MALFORMED', `dsse spec.proposedContent.envelope: expected DSSE envelope JSON (${describeError(err)})`);
  }
  const envelope = objectField(parsed, 'dsse envelope');
  const payload = base64Field(envelope.payload, 'dsse envelope payload');
  const payloadType = stringField(envelope.payloadType, 'dsse envelope payloadType');
  const signatures = arrayField(envelope.signatures, 'dsse envelope signatures', MAX_DSSE_SIGNATURES).map((item, i) =>
    base64Field(objectField(item, `dsse envelope signatures[${i}]`).sig, `dsse envelope signatures[${i}].sig`),
  );
  const verifiers = arrayField(proposed.verifiers, 'dsse spec.proposedContent.verifiers', MAX_DSSE_VERIFIERS);
  const pae = preAuthEncoding(payloadType, payload);

  // As Rekor: each verifier in turn claims the signatures it verifies (with SHA-256, whatever
  // the key), must claim at least one while any are left, and every signature must be claimed.
  const claimed = new Map<number, EntryVerifier>();
  for (const [i, content] of verifiers.entries()) {
    if (claimed.size === signatures.length) break;
    const verifier = readVerifier(content, `dsse spec.proposedContent.verifiers[${i}]`);
    let any = false;
    signatures.forEach((signature, j) => {
      if (!claimed.has(j) && verifySignature(verifier.key, pae, signature, { hash: 'sha256' })) {
        claimed.set(j, verifier);
        any = true;
      }
    });
    if (!any) throw refusal('REKOR_SIGNATURE_INVALID', `dsse spec.proposedContent.verifiers[${i}]: verifies none of the envelope signatures over the DSSE PAE`);
  }
  const unclaimed = signatures.findIndex((_, j) => !claimed.has(j));
  if (unclaimed >= 0) throw refusal('REKOR_SIGNATURE_INVALID', `dsse envelope signatures[${unclaimed}]: no verifier given verifies it over the DSSE PAE`);

  return build(() =>
    dsseV001Body({
      payloadHash: sha256(payload),
      envelopeHash: sha256(utf8Encode(envelopeText)),
      signatures: signatures.map((signature, j) => ({ signature, verifierPem: claimed.get(j)!.pem })),
    }),
  );
}

function keyName(verifier: EntryVerifier): string {
  const { key } = verifier;
  return key.kind === 'ecdsa' ? `ECDSA ${key.curve} key` : key.kind === 'rsa' ? `RSA-${key.bits} key` : 'Ed25519 key';
}

function build(make: () => Uint8Array): Uint8Array {
  try {
    return make();
  } catch (err) {
    throw refusal('REKOR_ENTRY_MALFORMED', `canonical body: ${describeError(err)}`);
  }
}
