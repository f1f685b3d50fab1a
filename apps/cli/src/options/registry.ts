import { createNodeFetch, type TlsOptions } from '@sigil/http-client';
import { createCredentialResolver, createRegistryClient, parseImageReference, type RegistryClient } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import { maxAttachmentSize } from '../cosign-environment.js';
import { readTextFileLimited } from '../files.js';
import { uniqueEntries } from './policy.js';

// cosign's DefaultTimeout, for a registry client made without the global --timeout.
const DEFAULT_TIMEOUT_MS = 3 * 60_000;

export interface RegistryFlags {
  'allow-insecure-registry'?: boolean | undefined;
  'allow-http-registry'?: boolean | undefined;
  'registry-username'?: string | undefined;
  'registry-password'?: string | undefined;
  /** The global --timeout, parsed (milliseconds; 0 for none). */
  timeout?: number | undefined;
  'registry-token'?: string | undefined;
  'registry-cacert'?: string | undefined;
  'registry-client-cert'?: string | undefined;
  'registry-client-key'?: string | undefined;
  'registry-server-name'?: string | undefined;
}

const MAX_PEM_BYTES = 1024 * 1024;

/**
 * The registry client the flags describe (COSIGN_<FLAG> variables arrive as flags), with
 * cosign's TLS settings (RegistryOptions.getTLSConfig): --registry-cacert, a client
 * certificate and key, --registry-server-name, and --allow-insecure-registry, which turns
 * certificate checks off (said on stderr) and allows plain http to a loopback registry, as
 * --allow-http-registry does. SIGIL_ALLOW_INSECURE_REGISTRY is sigil's older spelling.
 */
export function registryClientFromFlags(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = () => undefined): RegistryClient {
  const insecure = flags['allow-insecure-registry'] === true || env.SIGIL_ALLOW_INSECURE_REGISTRY === 'true';
  const tls: TlsOptions = {};
  if (flags['registry-cacert'] !== undefined) tls.ca = pem(flags['registry-cacert'], '--registry-cacert', 'CERTIFICATE');
  const [cert, key] = [flags['registry-client-cert'], flags['registry-client-key']];
  if ((cert === undefined) !== (key === undefined)) throw usageError('--registry-client-cert and --registry-client-key go together');
  if (cert !== undefined && key !== undefined) {
    tls.cert = pem(cert, '--registry-client-cert', 'CERTIFICATE');
    tls.key = pem(key, '--registry-client-key', 'PRIVATE KEY');
  }
  if (flags['registry-server-name'] !== undefined) tls.servername = flags['registry-server-name'];
  if (insecure) {
    tls.rejectUnauthorized = false;
    warn('WARNING: --allow-insecure-registry: registry TLS certificates are not verified\n');
  }
  const maxBlobBytes = maxAttachmentSize(env);
  // cosign's order: a user name and password, else the token (RegistryOptions.GetRegistryClientOpts).
  const passwordGiven = flags['registry-username'] !== undefined && flags['registry-password'] !== undefined;
  const registryToken = !passwordGiven && flags['registry-token'] ? flags['registry-token'] : undefined;
  // The client is made as the command starts: its requests stop at the command's deadline.
  const timeoutMs = typeof flags.timeout === 'number' ? flags.timeout : DEFAULT_TIMEOUT_MS;
  return createRegistryClient({
    allowInsecure: insecure || flags['allow-http-registry'] === true,
    ...(maxBlobBytes !== undefined ? { maxBlobBytes } : {}),
    ...(registryToken !== undefined ? { registryToken } : {}),
    credentials: createCredentialResolver({ username: flags['registry-username'], password: flags['registry-password'] }),
    http: {
      ...(Object.keys(tls).length > 0 ? { fetch: createNodeFetch(tls) } : {}),
      ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    },
  });
}

function pem(path: string, flag: string, label: string): string {
  const text = readTextFileLimited(path, flag, MAX_PEM_BYTES);
  if (!text.includes(`-----BEGIN `) || !text.includes(label.split(' ').at(-1)!)) throw usageError(`${flag} ${path}: expected PEM (${label}), found none`);
  return text;
}

/** cosign's COSIGN_REPOSITORY: signatures stored in, and read from, another repository. */
export function signatureRepositoryFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.COSIGN_REPOSITORY;
  return value === undefined || value === '' ? undefined : value;
}

/** cosign's `-a KEY=VALUE` annotations. */
export function annotationsFromFlags(values: string[] | undefined): Record<string, string> {
  const entries = (values ?? []).map((value): [string, string] => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`--annotations ${JSON.stringify(value)}: expected KEY=VALUE`);
    return [value.slice(0, eq), value.slice(eq + 1)];
  });
  return uniqueEntries(entries, '-a');
}

/**
 * The warning for an image named by tag: the registry's answer for the tag decided which
 * digest was checked (sign warns the same way about what it signs).
 */
export function tagWarning(image: string, verifiedImage: string): string {
  const ref = parseImageReference(image);
  if (ref.digest !== undefined || ref.tag === undefined) return '';
  return `WARNING: ${image} uses a tag, not a digest: the registry resolved it to ${verifiedImage}, and that digest is what was verified. Verify by digest to be sure which image you check.\n`;
}

/** cosign's --registry-referrers-mode: legacy, or oci-1-1 behind COSIGN_EXPERIMENTAL (RegistryReferrersMode.Set). */
export function referrersModeFromFlag(value: string | undefined, env: NodeJS.ProcessEnv = process.env): 'legacy' | 'oci-1-1' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'legacy') return value;
  if (value !== 'oci-1-1') throw usageError(`invalid argument "${value}" for --registry-referrers-mode: must be one of "legacy", "oci-1-1"`);
  const experimental = env.COSIGN_EXPERIMENTAL;
  if (!(experimental !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(experimental))) {
    throw usageError(`invalid argument "oci-1-1" for --registry-referrers-mode: in order to use mode "oci-1-1", you must set COSIGN_EXPERIMENTAL=1`);
  }
  return value;
}
