import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { derToPem } from '@sigil/encoding';
import { KeysError } from '../errors.js';
import { COSIGN_KEY_LABEL, decryptPrivateKey, encryptPrivateKey, SIGSTORE_KEY_LABEL } from './encrypted-key.js';
import { checkSigningKey, readPlainPrivateKey } from './plain-private-key.js';

/** A key pair as cosign writes it: cosign.key (encrypted) and cosign.pub. */
export interface KeyPairFiles {
  /** `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----`: safe to store, useless without the password. */
  privateKeyPem: string;
  /** `-----BEGIN PUBLIC KEY-----` (SPKI). */
  publicKeyPem: string;
}

/** A fresh ECDSA P-256 key pair (cosign's default), the private key encrypted under `password`. */
export async function generateKeyPair(password: Uint8Array): Promise<KeyPairFiles> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return encryptKeyPair(privateKey, password);
}

/** A plain PEM private key (PKCS#1, SEC1 or PKCS#8) re-encrypted in cosign's format. */
export async function importKeyPair(plainPem: string, password: Uint8Array, what = 'private key'): Promise<KeyPairFiles> {
  return encryptKeyPair(readPlainPrivateKey(plainPem, what), password);
}

/** Opens a cosign.key file and checks the key is one cosign would sign with. */
export async function loadPrivateKey(encryptedPem: string, password: Uint8Array, what = 'private key'): Promise<KeyObject> {
  const { pkcs8 } = await decryptPrivateKey(encryptedPem, password, what);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: parsing private key: the decrypted content is not a PKCS#8 key`, {
      hint: 'The file decrypted but holds no PKCS#8 key; old cosign EC keys in SEC1 form must be exported and re-imported with import-key-pair.',
    });
  } finally {
    pkcs8.fill(0);
  }
  checkSigningKey(key, what);
  return key;
}

/** The PEM public key of a private key object. */
export function publicKeyPemOf(key: KeyObject): string {
  return derToPem(new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' })), 'PUBLIC KEY');
}

async function encryptKeyPair(privateKey: KeyObject, password: Uint8Array): Promise<KeyPairFiles> {
  const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
  try {
    return { privateKeyPem: await encryptPrivateKey(pkcs8, password, { label: SIGSTORE_KEY_LABEL }), publicKeyPem: publicKeyPemOf(privateKey) };
  } finally {
    pkcs8.fill(0);
  }
}

export { COSIGN_KEY_LABEL, SIGSTORE_KEY_LABEL };
