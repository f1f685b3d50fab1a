// Rekor v2 create-entry requests (rekor-tiles api/proto/rekor/v2/{hashedrekord,dsse}.proto, as
// protobuf JSON): the digest and the DER verifier, never PEM.
import { HASH_SIZE } from '@sigil/crypto';
import { encodeBase64, typeOf } from '@sigil/encoding';
import { KEY_DETAILS_HASH, signatureJson, verifierJson, type RawVerifier } from '../body-builders-v2.js';
import { invalidInput } from './errors.js';

export interface HashedRekordV002RequestFields {
  /** The digest of what was signed (for a DSSE envelope: of its PAE), with the verifier's hash. */
  digest: Uint8Array;
  signature: Uint8Array;
  verifier: RawVerifier;
}

/** `{ hashedRekordRequestV002: { digest, signature: { content, verifier } } }`. */
export function hashedRekordV002Request(fields: HashedRekordV002RequestFields): Record<string, unknown> {
  const { digest, signature, verifier } = fields ?? ({} as HashedRekordV002RequestFields);
  const hash = KEY_DETAILS_HASH[verifier?.keyDetails];
  if (!hash) invalidInput(`hashedrekord 0.0.2 request: expected keyDetails of a prehashing algorithm, found ${typeOf(verifier?.keyDetails)} ${String(verifier?.keyDetails).slice(0, 40)}`);
  if (!(digest instanceof Uint8Array) || digest.length !== HASH_SIZE[hash]) invalidInput(`hashedrekord 0.0.2 request: expected a ${HASH_SIZE[hash]}-byte ${hash} digest, found ${typeOf(digest)}`);
  return { hashedRekordRequestV002: { digest: encodeBase64(digest), signature: signatureJson(signature, verifier, 'hashedrekord 0.0.2 request') } };
}

export interface DsseV002RequestFields {
  payload: Uint8Array;
  payloadType: string;
  signatures: { sig: Uint8Array; keyid?: string }[];
  verifiers: RawVerifier[];
}

/** `{ dsseRequestV002: { envelope, verifiers } }` (deprecated by rekor-tiles, still what sigstore-js sends). */
export function dsseV002Request(fields: DsseV002RequestFields): Record<string, unknown> {
  const { payload, payloadType, signatures, verifiers } = fields ?? ({} as DsseV002RequestFields);
  if (!(payload instanceof Uint8Array) || typeof payloadType !== 'string' || !Array.isArray(signatures) || signatures.length === 0 || !Array.isArray(verifiers) || verifiers.length === 0) {
    invalidInput('dsse 0.0.2 request: expected payload bytes, a payloadType, signatures and verifiers');
  }
  return {
    dsseRequestV002: {
      envelope: { payload: encodeBase64(payload), payloadType, signatures: signatures.map((s) => ({ sig: encodeBase64(s.sig), keyid: s.keyid ?? '' })) },
      verifiers: verifiers.map((v, i) => verifierJson(v, `dsse 0.0.2 request verifiers[${i}]`)),
    },
  };
}
