import { hash, type HashAlgorithm } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { OciError, type OciErrorCode } from './errors.js';
import { shown } from './shown.js';

// The registered algorithms of the OCI image-spec: lowercase hex of a fixed length.
const DIGEST_FORMS: Readonly<Record<string, { algorithm: HashAlgorithm; hexLength: number }>> = {
  sha256: { algorithm: 'sha256', hexLength: 64 },
  sha512: { algorithm: 'sha512', hexLength: 128 },
};

/** `sha256:<64 hex>` or `sha512:<128 hex>`, lowercase; anything else is `code` (OCI_REFERENCE_INVALID by default). */
export function checkDigest(value: unknown, what: string, code: OciErrorCode = 'OCI_REFERENCE_INVALID'): string {
  const reason = digestProblem(value);
  if (reason !== undefined) throw new OciError(code, `${what}: expected a digest sha256:<64 hex> or sha512:<128 hex>, found ${reason}`);
  return value as string;
}

export function isDigest(value: unknown): value is string {
  return digestProblem(value) === undefined;
}

function digestProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return shown(value);
  const colon = value.indexOf(':');
  const form = colon > 0 ? DIGEST_FORMS[value.slice(0, colon)] : undefined;
  if (form === undefined) return `${shown(value)} (unsupported or missing algorithm)`;
  const hex = value.slice(colon + 1);
  if (hex.length !== form.hexLength || !/^[0-9a-f]+$/.test(hex)) return `${shown(value)} (expected ${form.hexLength} lowercase hex digits)`;
  return undefined;
}

/** The digest of `bytes` with the algorithm of `like` (a checked digest), sha256 when absent. */
export function digestOf(bytes: Uint8Array, like?: string): string {
  const name = like === undefined ? 'sha256' : like.slice(0, like.indexOf(':'));
  const form = DIGEST_FORMS[name]!;
  return `${name}:${encodeHex(hash(form.algorithm, bytes))}`;
}

/** Content addressing: the bytes must have the expected digest. */
export function checkContent(bytes: Uint8Array, expected: string, what: string): void {
  const actual = digestOf(bytes, expected);
  if (actual !== expected) {
    throw new OciError('OCI_DIGEST_MISMATCH', `${what}: expected content with digest ${expected}, found ${actual}`, { details: { expected, actual } });
  }
}
