import { gitlabApi, readPublicKey, readSigningKey } from '@sigil/ci';
import { importPublicKeyPem, type PublicKey } from '@sigil/crypto';
import { requestBytes, type HttpOptions } from '@sigil/http-client';
import { keyFileSigner, loadPrivateKey, type Signer } from '@sigil/keys';
import { usageError } from '../cli-error.js';
import { readTextFileLimited } from '../files.js';
import { parseKeyReference, type KeyReference } from './key-reference.js';
import { readPassword, type PasswordSource } from './password.js';

/** Key files are small; anything larger is not one. */
const KEY_FILE_LIMIT = 64 * 1024;

export interface KeyContext extends PasswordSource {
  http?: HttpOptions;
}

/** The signer behind `--key REF`: a cosign key file, env://VAR holding one, or gitlab://GROUP/PROJECT. */
export async function loadSigner(value: string, context: KeyContext): Promise<Signer> {
  const reference = parseKeyReference(value);
  let pem: string;
  let password: Uint8Array;
  if (reference.kind === 'gitlab') {
    const stored = await readSigningKey(gitlab(context), reference.reference);
    pem = stored.privateKeyPem;
    password = new TextEncoder().encode(stored.password);
  } else if (reference.kind === 'url') {
    throw usageError('--key: a private key is not fetched from a URL', 'Download the encrypted key file first and pass its path, or use env://VAR or gitlab://GROUP/PROJECT.');
  } else {
    pem = readLocal(reference, 'private key', context.env);
    password = await readPassword(false, context);
  }
  try {
    return keyFileSigner(await loadPrivateKey(pem, password, `private key (${describe(reference)})`));
  } finally {
    password.fill(0);
  }
}

/** The public key behind `--key REF` for verification. */
export async function loadVerificationKey(value: string, context: KeyContext): Promise<PublicKey> {
  const reference = parseKeyReference(value);
  const what = `public key (${describe(reference)})`;
  switch (reference.kind) {
    case 'gitlab':
      return importPublicKeyPem(await readPublicKey(gitlab(context), reference.reference), what);
    case 'url': {
      const { body } = await requestBytes(reference.url, { ...context.http, accept: ['application/x-pem-file', 'application/octet-stream', 'text/plain'], maxResponseBytes: KEY_FILE_LIMIT });
      return importPublicKeyPem(new TextDecoder().decode(body), what);
    }
    default:
      return importPublicKeyPem(readLocal(reference, 'public key', context.env), what);
  }
}

function readLocal(reference: KeyReference & { kind: 'file' | 'env' }, what: string, env: NodeJS.ProcessEnv): string {
  if (reference.kind === 'file') return readTextFileLimited(reference.path, what, KEY_FILE_LIMIT);
  const value = env[reference.variable];
  if (value === undefined || value === '') throw usageError(`--key env://${reference.variable}: the environment variable is not set`);
  return value;
}

function gitlab(context: KeyContext) {
  return gitlabApi({ host: context.env.GITLAB_HOST, token: context.env.GITLAB_TOKEN ?? '', http: context.http });
}

function describe(reference: KeyReference): string {
  switch (reference.kind) {
    case 'file':
      return reference.path;
    case 'env':
      return `env://${reference.variable}`;
    case 'gitlab':
      return `gitlab://${reference.reference}`;
    case 'url':
      return reference.url;
  }
}
