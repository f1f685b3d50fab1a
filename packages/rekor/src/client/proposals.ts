import { HASH_SIZE, type HashAlgorithm } from '@sigil/crypto';
import { decodePemBlocks, encodeBase64, encodeHex, JSON_DOCUMENT_LIMITS, parseJson, typeOf, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { invalidInput } from './errors.js';

/** A proposed entry for `POST /api/v1/log/entries`. */
export interface ProposedEntry {
  apiVersion: string;
  kind: string;
  spec: Record<string, unknown>;
}

export interface HashedRekordProposalFields {
  /** The artifact's digest. */
  digest: Uint8Array;
  /** Default sha256. */
  algorithm?: HashAlgorithm;
  /** The signature over the artifact (DER for ECDSA). */
  signature: Uint8Array;
  /** The signing certificate (PEM), or else `publicKeyPem`. */
  certificatePem?: string;
  publicKeyPem?: string;
}

/** hashedrekord v0.0.1 (PROTOCOLS 3.2): the digest in hex, the signature and the PEM verifier in base64. */
export function hashedRekordProposal(fields: HashedRekordProposalFields): ProposedEntry {
  const { digest, algorithm = 'sha256', signature, certificatePem, publicKeyPem } = fields ?? ({} as HashedRekordProposalFields);
  if (!Object.hasOwn(HASH_SIZE, algorithm)) invalidInput(`hashedrekord algorithm: expected sha256, sha384 or sha512, found ${typeOf(algorithm)}`);
  if (!(digest instanceof Uint8Array) || digest.length !== HASH_SIZE[algorithm]) {
    invalidInput(`hashedrekord digest: expected ${HASH_SIZE[algorithm]} bytes of ${algorithm}, found ${typeOf(digest)}`);
  }
  if (!(signature instanceof Uint8Array) || signature.length === 0) invalidInput(`hashedrekord signature: expected non-empty bytes, found ${typeOf(signature)}`);
  if ((certificatePem === undefined) === (publicKeyPem === undefined)) invalidInput('hashedrekord verifier: expected one of certificatePem or publicKeyPem');
  const verifier = certificatePem !== undefined ? checkPem(certificatePem, 'CERTIFICATE', 'certificatePem') : checkPem(publicKeyPem, 'PUBLIC KEY', 'publicKeyPem');
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm, value: encodeHex(digest) } },
      signature: { content: encodeBase64(signature), publicKey: { content: encodeBase64(utf8Encode(verifier)) } },
    },
  };
}

export interface DsseProposalFields {
  /** The DSSE envelope as JSON text, exactly as it will be stored (the log hashes this string). */
  envelopeJson: string;
  /** A PEM certificate or public key for each envelope signature. */
  verifierPems: string[];
}

const MAX_VERIFIERS = 16;

/** dsse v0.0.1 (PROTOCOLS 3.3): the envelope as a string, each verifier as base64 of its PEM. */
export function dsseProposal(fields: DsseProposalFields): ProposedEntry {
  const { envelopeJson, verifierPems } = fields ?? ({} as DsseProposalFields);
  checkEnvelope(envelopeJson);
  if (!Array.isArray(verifierPems) || verifierPems.length === 0 || verifierPems.length > MAX_VERIFIERS) {
    invalidInput(`dsse verifierPems: expected 1 to ${MAX_VERIFIERS} PEM strings, found ${typeOf(verifierPems)}`);
  }
  const verifiers = verifierPems.map((pem, i) => encodeBase64(utf8Encode(checkPem(pem, undefined, `verifierPems[${i}]`))));
  return { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeJson, verifiers } } };
}

function checkEnvelope(text: unknown): void {
  if (typeof text !== 'string') invalidInput(`dsse envelopeJson: expected the envelope as JSON text, found ${typeOf(text)}`);
  let envelope: unknown;
  try {
    envelope = parseJson(text, 'dsse envelopeJson', JSON_DOCUMENT_LIMITS['DSSE envelope']);
  } catch (err) {
    invalidInput(describeError(err));
  }
  const { payload, payloadType, signatures } = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as Record<string, unknown>;
  if (typeof payload !== 'string' || typeof payloadType !== 'string' || !Array.isArray(signatures) || signatures.length === 0) {
    invalidInput('dsse envelopeJson: expected a DSSE envelope (payload, payloadType and at least one signature)');
  }
}

/** One PEM block (or a certificate chain) with the expected label; the text is sent as given. */
function checkPem(pem: unknown, label: 'CERTIFICATE' | 'PUBLIC KEY' | undefined, what: string): string {
  if (typeof pem !== 'string') invalidInput(`${what}: expected PEM text, found ${typeOf(pem)}`);
  let labels: string[];
  try {
    labels = decodePemBlocks(pem, what).map((block) => block.label);
  } catch (err) {
    return invalidInput(describeError(err));
  }
  const expected = label ?? labels[0];
  const fits = labels.every((found) => found === expected) && (expected === 'CERTIFICATE' || (expected === 'PUBLIC KEY' && labels.length === 1));
  if (!fits) invalidInput(`${what}: expected ${label === undefined ? 'a CERTIFICATE chain or one PUBLIC KEY' : label === 'CERTIFICATE' ? 'CERTIFICATE blocks' : 'one PUBLIC KEY block'}, found ${labels.join(', ')}`);
  return pem;
}
