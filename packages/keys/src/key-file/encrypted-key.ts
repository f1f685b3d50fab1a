import { randomBytes, scrypt } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { decodeBase64, decodePemBlocks, derToPem, encodeBase64, parseJson, typeOf, utf8Decode, utf8Encode } from '@sigil/encoding';
import { KeysError } from '../errors.js';

/**
 * cosign's private key files: PKCS#8 encrypted the way go-securesystemslib's `encrypted`
 * package does it (scrypt for the key, NaCl secretbox for the box), as JSON inside a PEM block.
 */
export const SIGSTORE_KEY_LABEL = 'ENCRYPTED SIGSTORE PRIVATE KEY';
/** The label older cosign versions wrote; still read, and kept when re-encrypting such a key. */
export const COSIGN_KEY_LABEL = 'ENCRYPTED COSIGN PRIVATE KEY';

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

// The only parameter sets go-securesystemslib accepts (legacy, standard, OWASP). Anything
// else is refused before scrypt runs: a file's N decides how much memory we spend.
const ACCEPTED_PARAMETERS: readonly ScryptParameters[] = [
  { N: 32768, r: 8, p: 1 },
  { N: 65536, r: 8, p: 1 },
  { N: 131072, r: 8, p: 1 },
];
/** What cosign writes today ("standard"). */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 65536, r: 8, p: 1 };

const SALT_SIZE = 32;
const NONCE_SIZE = 24;
const KEY_SIZE = 32;

export interface EncryptOptions {
  label?: typeof SIGSTORE_KEY_LABEL | typeof COSIGN_KEY_LABEL;
  scrypt?: ScryptParameters;
}

/** Encrypts a PKCS#8 private key under `password` into cosign's PEM form. */
export async function encryptPrivateKey(pkcs8: Uint8Array, password: Uint8Array, options: EncryptOptions = {}): Promise<string> {
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  checkParameters(params);
  const salt = randomBytes(SALT_SIZE);
  const nonce = randomBytes(NONCE_SIZE);
  const key = await deriveKey(password, salt, params);
  const ciphertext = xsalsa20poly1305(key, nonce).encrypt(pkcs8);
  key.fill(0);
  // Field order and names as Go's json.Marshal writes the struct.
  const document = {
    kdf: { name: 'scrypt', params: { N: params.N, r: params.r, p: params.p }, salt: encodeBase64(salt) },
    cipher: { name: 'nacl/secretbox', nonce: encodeBase64(nonce) },
    ciphertext: encodeBase64(ciphertext),
  };
  return derToPem(utf8Encode(JSON.stringify(document)), options.label ?? SIGSTORE_KEY_LABEL);
}

export interface DecryptedKey {
  pkcs8: Uint8Array;
  label: string;
}

/** Opens a cosign private key file. A wrong password is KEYS_WRONG_PASSWORD; nothing else is said about it. */
export async function decryptPrivateKey(pem: string, password: Uint8Array, what = 'private key'): Promise<DecryptedKey> {
  const { label, document } = readKeyFile(pem, what);
  const key = await deriveKey(password, document.salt, document.params);
  let pkcs8: Uint8Array;
  try {
    pkcs8 = xsalsa20poly1305(key, document.nonce).decrypt(document.ciphertext);
  } catch {
    throw new KeysError('KEYS_WRONG_PASSWORD', `${what}: decryption failed: the password is wrong or the file was altered`, {
      hint: 'Give the password the key was created with (COSIGN_PASSWORD or the prompt).',
    });
  } finally {
    key.fill(0);
  }
  return { pkcs8, label };
}

interface EncryptedDocument {
  params: ScryptParameters;
  salt: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

function readKeyFile(pem: string, what: string): { label: string; document: EncryptedDocument } {
  if (typeof pem !== 'string') invalid(what, `expected PEM text, found ${typeOf(pem)}`);
  let blocks;
  try {
    blocks = decodePemBlocks(pem, what);
  } catch (err) {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: not a PEM file`, { cause: err, hint: 'Pass the cosign.key file that generate-key-pair or import-key-pair wrote.' });
  }
  if (blocks.length !== 1) invalid(what, `expected one PEM block, found ${blocks.length}`);
  const [{ label, der }] = blocks as [(typeof blocks)[0]];
  if (label !== SIGSTORE_KEY_LABEL && label !== COSIGN_KEY_LABEL) {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: expected an ${SIGSTORE_KEY_LABEL} or ${COSIGN_KEY_LABEL} block, found ${label}`, {
      hint: label.includes('PRIVATE KEY') ? 'Convert a plain private key first: sigil import-key-pair --key FILE.' : 'Pass a cosign private key file.',
    });
  }
  let json: unknown;
  try {
    json = parseJson(utf8Decode(der), `${what} (${label})`);
  } catch (err) {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: the ${label} block is not JSON`, { cause: err });
  }
  return { label, document: readDocument(json, what) };
}

function readDocument(json: unknown, what: string): EncryptedDocument {
  const kdf = field(json, 'kdf', what);
  const cipher = field(json, 'cipher', what);
  if (field(kdf, 'name', what) !== 'scrypt') invalid(what, `expected kdf name "scrypt", found ${JSON.stringify(field(kdf, 'name', what))}`);
  if (field(cipher, 'name', what) !== 'nacl/secretbox') invalid(what, `expected cipher name "nacl/secretbox", found ${JSON.stringify(field(cipher, 'name', what))}`);
  const raw = field(kdf, 'params', what);
  const params = { N: field(raw, 'N', what), r: field(raw, 'r', what), p: field(raw, 'p', what) } as ScryptParameters;
  checkParameters(params, what);
  const nonce = bytesField(cipher, 'nonce', what);
  if (nonce.length !== NONCE_SIZE) invalid(what, `expected a ${NONCE_SIZE}-byte nonce, found ${nonce.length} bytes`);
  return { params, salt: bytesField(kdf, 'salt', what), nonce, ciphertext: bytesField(json, 'ciphertext', what) };
}

function checkParameters(params: ScryptParameters, what = 'scrypt parameters'): void {
  if (!ACCEPTED_PARAMETERS.some((p) => p.N === params.N && p.r === params.r && p.p === params.p)) {
    invalid(what, `unsupported scrypt parameters N=${String(params.N)} r=${String(params.r)} p=${String(params.p)} (accepted: N of 2^15, 2^16 or 2^17 with r=8, p=1)`);
  }
}

function deriveKey(password: Uint8Array, salt: Uint8Array, { N, r, p }: ScryptParameters): Promise<Uint8Array> {
  if (!(password instanceof Uint8Array)) {
    throw new KeysError('KEYS_INVALID_INPUT', `password: expected bytes, found ${typeOf(password)}`);
  }
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128 * N * r bytes; Node's default (32 MiB) is below 2^16 * 8 * 128.
    scrypt(password, salt, KEY_SIZE, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => {
      if (err) reject(new KeysError('KEYS_INVALID_KEY_FILE', `scrypt failed (${err.name})`));
      else resolve(new Uint8Array(key));
    });
  });
}

function field(value: unknown, name: string, what: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, name)) {
    invalid(what, `expected a "${name}" field`);
  }
  return (value as Record<string, unknown>)[name];
}

function bytesField(value: unknown, name: string, what: string): Uint8Array {
  const text = field(value, name, what);
  if (typeof text !== 'string') invalid(what, `expected "${name}" as base64 text, found ${typeOf(text)}`);
  try {
    return decodeBase64(text, `${what} ${name}`);
  } catch (err) {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: "${name}" is not valid base64`, { cause: err });
  }
}

function invalid(what: string, message: string): never {
  throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: ${message}`, { hint: 'Pass the cosign.key file that generate-key-pair or import-key-pair wrote.' });
}
