import { usageError } from '../cli-error.js';

/** Where a `--key` points, in cosign's reference forms. */
export type KeyReference =
  | { kind: 'file'; path: string }
  | { kind: 'env'; variable: string }
  | { kind: 'gitlab'; reference: string }
  | { kind: 'url'; url: string };

// Schemes cosign reaches through services or devices Sigil has no client for.
const REFUSED_SCHEMES: Record<string, string> = {
  'awskms://': 'AWS KMS',
  'gcpkms://': 'Google Cloud KMS',
  'azurekms://': 'Azure Key Vault',
  'hashivault://': 'HashiCorp Vault transit',
  'k8s://': 'a Kubernetes secret',
  'pkcs11:': 'a PKCS#11 token',
  'github://': 'GitHub Actions secrets',
};

/** Parses `--key`: a file path, `env://VAR`, `gitlab://group/project` (or an id), or an https URL (public keys). */
export function parseKeyReference(value: string, flag = '--key'): KeyReference {
  if (typeof value !== 'string' || value === '') throw usageError(`${flag}: expected a key file, env://VAR or gitlab://GROUP/PROJECT, found nothing`);
  const refused = Object.keys(REFUSED_SCHEMES).find((scheme) => value.startsWith(scheme));
  if (refused) {
    throw usageError(
      `${flag} ${refused}...: keys in ${REFUSED_SCHEMES[refused]} are not supported by sigil (it has no client for that service)`,
      'Export the public key to a file for verification; to sign, use a cosign key file (sigil generate-key-pair), env://VAR or gitlab://GROUP/PROJECT, or sign keylessly.',
    );
  }
  if (value.startsWith('env://')) {
    const variable = value.slice('env://'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw usageError(`${flag} env://: expected an environment variable name, found ${JSON.stringify(variable)}`);
    return { kind: 'env', variable };
  }
  if (value.startsWith('gitlab://')) {
    const reference = value.slice('gitlab://'.length);
    if (reference === '') throw usageError(`${flag} gitlab://: expected a project or group (gitlab://group/project or gitlab://ID)`);
    return { kind: 'gitlab', reference };
  }
  if (value.startsWith('https://') || value.startsWith('http://')) return { kind: 'url', url: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw usageError(`${flag}: unknown key scheme in ${JSON.stringify(value.slice(0, 40))}`, 'Use a file path, env://VAR, gitlab://GROUP/PROJECT or an https:// URL (public keys).');
  }
  return { kind: 'file', path: value };
}
