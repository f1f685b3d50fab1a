// Keys and certificates a service keeps in its state directory, so that a second start on
// the same directory is the same instance: same keys, same CA, same trusted root.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeError } from '@sigil/errors';
import { derToPem, pemToDer } from '@sigil/encoding';
import { StackError } from './errors.js';
import { generateSigningKey, signingKeyFromPrivateKey, type Curve, type SigningKey } from './keys.js';

/** The key in `path` (PKCS#8 PEM), or a fresh one written there with mode 0600. */
export function loadOrCreateSigningKey(path: string, curve: Curve): SigningKey {
  const pem = readIfPresent(path);
  if (pem === undefined) {
    const key = generateSigningKey(curve);
    writeDurably(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 0o600);
    return key;
  }
  let key: SigningKey;
  try {
    key = signingKeyFromPrivateKey(createPrivateKey({ key: pem, format: 'pem' }));
  } catch (err) {
    throw stateInvalid(path, `expected a PKCS#8 PEM ECDSA ${curve} private key (${describeError(err)})`);
  }
  if (key.curve !== curve) throw stateInvalid(path, `expected an ECDSA ${curve} private key, found ${key.curve}`);
  return key;
}

/** The DER certificate in `path` (PEM), or undefined when the file does not exist. */
export function loadCertificate(path: string): Uint8Array | undefined {
  const pem = readIfPresent(path);
  if (pem === undefined) return undefined;
  try {
    return pemToDer(pem, 'CERTIFICATE', path);
  } catch (err) {
    throw stateInvalid(path, `expected one PEM CERTIFICATE (${describeError(err)})`);
  }
}

export function saveCertificate(path: string, der: Uint8Array): void {
  writeDurably(path, derToPem(der, 'CERTIFICATE'), 0o644);
}

/** Creates the state directory (mode 0700: it holds private keys) and returns path joiner. */
export function stateDirectory(dir: string): (name: string) => string {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new StackError('STACK_INPUT_INVALID', `state dir: expected a non-empty path, found ${typeof dir}`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return (name) => join(dir, name);
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateInvalid(path, `cannot be read (${describeError(err)})`);
  }
}

/** The Ed25519 private key in `path` (PKCS#8 PEM), or a fresh one written there with mode 0600. */
export function loadOrCreateEd25519Key(path: string): KeyObject {
  const pem = readIfPresent(path);
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeDurably(path, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 0o600);
    return privateKey;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw stateInvalid(path, `expected a PKCS#8 PEM Ed25519 private key (${describeError(err)})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw stateInvalid(path, `expected an Ed25519 private key, found ${key.asymmetricKeyType}`);
  return key;
}

/** Whole or not at all, and on disk before it counts: temporary file, fsync, rename. */
function writeDurably(path: string, text: string, mode: number): void {
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function stateInvalid(path: string, message: string): StackError {
  return new StackError('STACK_STATE_INVALID', `${path}: ${message}`, {
    details: { path },
    hint: 'The state directory holds files another program (or another version) wrote; use a fresh directory.',
  });
}
