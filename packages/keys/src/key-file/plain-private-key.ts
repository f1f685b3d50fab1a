import { createPrivateKey, type KeyObject } from 'node:crypto';
import { decodePemBlocks, typeOf } from '@sigil/encoding';
import { KeysError } from '../errors.js';

// The plain PEM forms cosign's import-key-pair takes, and the DER type node:crypto calls each.
const PLAIN_FORMATS: Record<string, 'pkcs1' | 'sec1' | 'pkcs8'> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'PRIVATE KEY': 'pkcs8',
};

/**
 * Reads an unencrypted private key (PKCS#1 RSA, SEC1 EC or PKCS#8 RSA/EC/Ed25519) and checks
 * it is a key cosign accepts for signing. Only the first PEM block counts, as in cosign.
 */
export function readPlainPrivateKey(pem: string, what = 'private key'): KeyObject {
  if (typeof pem !== 'string') {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: expected PEM text, found ${typeOf(pem)}`);
  }
  let block;
  try {
    [block] = decodePemBlocks(pem, what);
  } catch (err) {
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: invalid PEM block`, { cause: err, hint: 'Pass a PEM private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY).' });
  }
  const format = Object.hasOwn(PLAIN_FORMATS, block!.label) ? PLAIN_FORMATS[block!.label] : undefined;
  if (!format) {
    throw new KeysError('KEYS_UNSUPPORTED_KEY', `${what}: unsupported private key: expected an RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY block, found ${block!.label}`, {
      hint: block!.label.startsWith('ENCRYPTED') ? 'An encrypted key file is already in cosign\'s form: use it with --key as it is.' : 'Export the key unencrypted in PKCS#8, PKCS#1 or SEC1 PEM, import it, then delete the plain copy.',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(block!.der), format: 'der', type: format });
  } catch {
    // node:crypto's message may quote key bytes: only the form is named.
    throw new KeysError('KEYS_INVALID_KEY_FILE', `${what}: the ${block!.label} block is not a valid ${format.toUpperCase()} key (or uses a curve Sigil does not support)`);
  }
  checkSigningKey(key, what);
  return key;
}

const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** cosign's key policy (sigstore's goodkey): RSA of 2048 to 4096 bits, ECDSA on P-256/P-384/P-521, Ed25519. */
export function checkSigningKey(key: KeyObject, what = 'private key'): void {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048 || bits > 4096) {
        throw new KeysError('KEYS_UNSUPPORTED_KEY', `${what}: RSA key size not supported: expected 2048 to 4096 bits, found ${bits}`);
      }
      return;
    }
    case 'ec':
      if (!EC_CURVES.has(details.namedCurve ?? '')) {
        throw new KeysError('KEYS_UNSUPPORTED_KEY', `${what}: ECDSA curve not allowed: expected P-256, P-384 or P-521, found ${details.namedCurve ?? 'unknown'}`);
      }
      return;
    case 'ed25519':
      return;
    default:
      throw new KeysError('KEYS_UNSUPPORTED_KEY', `${what}: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: expected RSA, ECDSA or Ed25519`);
  }
}
