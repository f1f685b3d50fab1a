import { CiError } from '../errors.js';
import { createVariable, findVariableOwner, readVariable, type VariableOwner } from './ci-variables.js';
import type { GitlabApi } from './gitlab-api.js';

/** The variable names cosign uses for a key pair kept in GitLab. */
export const KEY_PAIR_VARIABLES = { privateKey: 'COSIGN_PRIVATE_KEY', publicKey: 'COSIGN_PUBLIC_KEY', password: 'COSIGN_PASSWORD' } as const;

export interface StoreKeyPairOptions {
  privateKeyPem: string;
  publicKeyPem: string;
  password: string;
  /**
   * Beyond cosign, which stores all three unprotected and unmasked: by default only
   * protected branches and tags see the key and password, and the password is masked in logs.
   */
  protected?: boolean;
  maskPassword?: boolean;
}

export interface StoredKeyPair {
  owner: VariableOwner;
  protected: boolean;
  passwordMasked: boolean;
}

// GitLab's masking rules: one line of at least 8 characters from the base64 alphabets
// (RFC 4648) and @ : . ~ (GitLab's documented set).
const MASKABLE = /^[A-Za-z0-9+/=_\-@:.~]{8,}$/;

/** Stores cosign's three variables in a project or group (`gitlab://group/project`). */
export async function storeKeyPair(api: GitlabApi, reference: string, options: StoreKeyPairOptions): Promise<StoredKeyPair> {
  const isProtected = options.protected ?? true;
  const maskPassword = options.maskPassword ?? true;
  if (maskPassword && !MASKABLE.test(options.password)) {
    throw new CiError('CI_GITLAB_PASSWORD_NOT_MASKABLE', 'GitLab cannot mask this password in job logs: it needs at least 8 characters, all from A-Z a-z 0-9 + / = _ - @ : . ~', {
      hint: 'Choose such a password (COSIGN_PASSWORD), or pass --gitlab-mask-password=false to store it unmasked as cosign does.',
    });
  }
  const owner = await findVariableOwner(api, reference);
  const described = (what: string) => `${what} written by sigil generate-key-pair`;
  // The password first, as cosign: a key without its password is never left behind alone.
  await createVariable(api, owner, { key: KEY_PAIR_VARIABLES.password, value: options.password, protected: isProtected, masked: maskPassword, description: described('Password of COSIGN_PRIVATE_KEY,') });
  await createVariable(api, owner, { key: KEY_PAIR_VARIABLES.privateKey, value: options.privateKeyPem, protected: isProtected, masked: false, description: described('Encrypted signing key,') });
  // The public key verifies signatures anywhere: no reason to hide it from unprotected jobs.
  await createVariable(api, owner, { key: KEY_PAIR_VARIABLES.publicKey, value: options.publicKeyPem, protected: false, masked: false, description: described('Public key,') });
  return { owner, protected: isProtected, passwordMasked: maskPassword };
}

/** The encrypted private key and its password, for signing with `--key gitlab://...`. */
export async function readSigningKey(api: GitlabApi, reference: string): Promise<{ privateKeyPem: string; password: string }> {
  const owner = await findVariableOwner(api, reference);
  const privateKeyPem = await readVariable(api, owner, KEY_PAIR_VARIABLES.privateKey);
  const password = await readVariable(api, owner, KEY_PAIR_VARIABLES.password);
  return { privateKeyPem, password };
}

/** The public key, for verifying with `--key gitlab://...`. */
export async function readPublicKey(api: GitlabApi, reference: string): Promise<string> {
  return readVariable(api, await findVariableOwner(api, reference), KEY_PAIR_VARIABLES.publicKey);
}
