import { importPublicKey, verifySignature, type PublicKey } from '@sigil/crypto';
import { decodeBase64, JSON_DOCUMENT_LIMITS, parseJson, typeOf, utf8Decode, utf8Encode } from '@sigil/encoding';
import { ProvenanceError, type ProvenanceErrorCode } from '../errors.js';
import { arrayField, asObject, stringField } from '../json-fields.js';
import { checkPackageName, checkPackageVersion } from './package-id.js';

/** One key of the registry's `/-/npm/v1/keys` document. */
export interface NpmRegistryKey {
  keyid: string;
  keytype: string;
  scheme: string;
  /** Base64 DER SubjectPublicKeyInfo. */
  key: string;
  /** ISO time after which the key signs nothing new; null while current. */
  expires?: string | null;
}

export interface VerifyNpmRegistrySignatureOptions {
  name: string;
  version: string;
  /** The version's `dist.integrity` (`sha512-<base64>`), exactly as the packument gives it. */
  integrity: string;
  /** The version's `dist.signatures`. */
  signatures: ReadonlyArray<{ keyid: string; sig: string }>;
  /** The registry keys document `{"keys": [...]}` (text, bytes or value). */
  keys: unknown;
  /** When the version was published (the packument's `time[version]`): npm checks key expiry at this time. */
  publishedAt?: Date;
  /** Used when `publishedAt` is not given; default the current time. */
  now?: Date;
}

const ECDSA_P256 = 'ecdsa-sha2-nistp256';
const MAX_SIGNATURES = 16;
const MAX_KEYS = 64;

/**
 * The check `npm audit signatures` makes of a version's registry signatures: each is ECDSA
 * P-256 / SHA-256 over `<name>@<version>:<integrity>` with the registry key of its keyid,
 * a key that had not expired when the version was published. Returns the keyids verified.
 */
export function verifyNpmRegistrySignature(options: VerifyNpmRegistrySignatureOptions): { keyids: string[] } {
  if (typeof options !== 'object' || options === null) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `verifyNpmRegistrySignature options: expected an object, found ${typeOf(options)}`);
  }
  const name = checkPackageName(options.name);
  const version = checkPackageVersion(options.version);
  const integrity = options.integrity;
  if (typeof integrity !== 'string' || integrity === '' || integrity.length > 1024 || /[\s\0]/.test(integrity)) {
    throw new ProvenanceError('PROVENANCE_NPM_SIGNATURES_INVALID', `npm dist.integrity: expected an SRI string such as sha512-<base64>, found ${typeOf(integrity)}`);
  }
  const at = referenceTime(options);
  const keys = readKeys(options.keys);
  const signatures = options.signatures;
  if (!Array.isArray(signatures) || signatures.length === 0 || signatures.length > MAX_SIGNATURES) {
    throw new ProvenanceError('PROVENANCE_NPM_SIGNATURES_INVALID', `${name}@${version} dist.signatures: expected 1 to ${MAX_SIGNATURES} registry signatures, found ${Array.isArray(signatures) ? signatures.length : typeOf(signatures)}`, {
      hint: 'a version without registry signatures is reported "missing" by npm audit signatures',
    });
  }
  const message = utf8Encode(`${name}@${version}:${integrity}`);
  const verified: string[] = [];
  signatures.forEach((signature, i) => {
    const keyid = stringField(asObject(signature), 'keyid');
    const sig = stringField(asObject(signature), 'sig');
    if (keyid === undefined || sig === undefined) {
      throw new ProvenanceError('PROVENANCE_NPM_SIGNATURES_INVALID', `${name}@${version} dist.signatures[${i}]: expected {keyid, sig} strings, found ${typeOf(signature)}`);
    }
    const entry = keys.find((k) => k.keyid === keyid);
    if (!entry) {
      throw signatureError('PROVENANCE_NPM_SIGNATURE_KEY_MISSING', `${name}@${version} registry signature: expected a registry key with keyid ${keyid}, found none among ${keys.map((k) => k.keyid).join(', ') || 'no keys'}`, keyid);
    }
    const key = usableKey(entry);
    if (key.expires !== undefined && !(at < key.expires)) {
      throw signatureError('PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED', `${name}@${version} registry signature: key ${keyid} expired ${key.expires.toISOString()}, before ${at.toISOString()}${options.publishedAt ? ' (publication)' : ''}`, keyid);
    }
    let signatureBytes: Uint8Array;
    try {
      signatureBytes = decodeBase64(sig, 'registry signature');
    } catch (err) {
      throw new ProvenanceError('PROVENANCE_NPM_SIGNATURES_INVALID', `${name}@${version} dist.signatures[${i}].sig: expected base64, found other text`, { cause: err });
    }
    if (!verifySignature(key.publicKey, message, signatureBytes, { hash: 'sha256' })) {
      throw signatureError('PROVENANCE_NPM_SIGNATURE_INVALID', `${name}@${version} registry signature: does not verify over "${name}@${version}:${integrity}" with key ${keyid}`, keyid);
    }
    verified.push(keyid);
  });
  return { keyids: verified };
}

interface UsableKey {
  keyid: string;
  publicKey: PublicKey;
  expires: Date | undefined;
}

type KeyEntry = { keyid: string; index: number; entry: Readonly<Record<string, unknown>> };

/** The keys document's entries by keyid; a key is checked only when a signature names it. */
function readKeys(input: unknown): KeyEntry[] {
  let document: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      document = parseJson(typeof input === 'string' ? input : utf8Decode(input), 'npm registry keys', JSON_DOCUMENT_LIMITS['npm registry keys']);
    } catch (err) {
      keysInvalid('not UTF-8 JSON', err);
    }
  }
  const list = arrayField(asObject(document), 'keys');
  if (!list || list.length > MAX_KEYS) keysInvalid(`expected {"keys": [...]} with at most ${MAX_KEYS} keys, found ${list ? list.length : typeOf(document)}`);
  return list.map((item, index) => {
    const entry = asObject(item);
    const keyid = stringField(entry, 'keyid');
    if (!entry || keyid === undefined) keysInvalid(`keys[${index}]: expected an object with a keyid string`);
    return { keyid, index, entry };
  });
}

function usableKey({ keyid, index, entry }: KeyEntry): UsableKey {
  const what = `keys[${index}] (${keyid})`;
  if (entry.keytype !== ECDSA_P256 || entry.scheme !== ECDSA_P256) {
    keysInvalid(`${what}: expected keytype and scheme ${ECDSA_P256}, found ${JSON.stringify(entry.keytype)} / ${JSON.stringify(entry.scheme)}`);
  }
  let publicKey: PublicKey | undefined;
  try {
    publicKey = importPublicKey(decodeBase64(stringField(entry, 'key') ?? '', `registry key ${keyid}`), `registry key ${keyid}`);
  } catch (err) {
    keysInvalid(`${what}.key: expected a base64 DER public key`, err);
  }
  if (publicKey.kind !== 'ecdsa' || publicKey.curve !== 'P-256') keysInvalid(`${what}.key: expected an ECDSA P-256 key, found ${publicKey.kind}`);
  const expires = entry.expires;
  if (expires !== undefined && expires !== null && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) {
    keysInvalid(`${what}.expires: expected null or an ISO time, found ${typeOf(expires)}`);
  }
  return { keyid, publicKey, expires: typeof expires === 'string' ? new Date(expires) : undefined };
}

function referenceTime(options: VerifyNpmRegistrySignatureOptions): Date {
  for (const [what, value] of [['publishedAt', options.publishedAt], ['now', options.now]] as const) {
    if (value === undefined) continue;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `verifyNpmRegistrySignature ${what}: expected a valid Date, found ${typeOf(value)}`);
    }
    return value;
  }
  return new Date();
}

function keysInvalid(reason: string, cause?: unknown): never {
  throw new ProvenanceError('PROVENANCE_NPM_KEYS_INVALID', `npm registry keys: ${reason}`, cause === undefined ? {} : { cause });
}

function signatureError(code: ProvenanceErrorCode, message: string, keyid: string): ProvenanceError {
  return new ProvenanceError(code, message, { details: { keyid } });
}
