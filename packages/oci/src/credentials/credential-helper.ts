import { spawnSync } from 'node:child_process';
import { OciError } from '../errors.js';
import { makeCredentials, type ResolvedCredentials } from './credentials.js';

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HELPER_TIMEOUT_MS = 30_000;
const MAX_REPLY_BYTES = 64 * 1024;
// docker-credential-helpers' "not found" answer (credentials.NewErrCredentialsNotFound).
const NOT_FOUND = /credentials not found/i;

/**
 * Asks `docker-credential-NAME get` for a registry's credentials, as docker does: the server
 * address on stdin, `{"ServerURL","Username","Secret"}` on stdout; "credentials not found"
 * means none. Neither the reply nor the helper's stderr (which may echo a secret) reaches an error.
 */
export function helperCredentials(helper: string, serverAddress: string): ResolvedCredentials | undefined {
  if (!HELPER_NAME.test(helper)) {
    throw new OciError('OCI_CREDENTIALS_INVALID', `docker config: credential helper ${JSON.stringify(helper)}: expected a name (docker-credential-NAME on PATH), found one with other characters`);
  }
  const program = `docker-credential-${helper}`;
  const run = spawnSync(program, ['get'], { input: serverAddress, timeout: HELPER_TIMEOUT_MS, maxBuffer: MAX_REPLY_BYTES, encoding: 'utf8' });
  if (run.error) {
    const reason = (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is not on PATH' : (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `it did not answer within ${HELPER_TIMEOUT_MS / 1000} s` : 'it could not be run';
    throw new OciError('OCI_CREDENTIALS_HELPER_FAILED', `${program} get (for ${serverAddress}): ${reason}`, { hint: 'Install the helper, or remove it from the docker config (credsStore, credHelpers), or pass --registry-username and --registry-password.' });
  }
  if (run.status !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return undefined;
    throw new OciError('OCI_CREDENTIALS_HELPER_FAILED', `${program} get (for ${serverAddress}): exited with status ${run.status ?? run.signal}`, { hint: `Run "echo ${serverAddress} | ${program} get" to see why.` });
  }
  let reply: { Username?: unknown; Secret?: unknown };
  try {
    reply = JSON.parse(run.stdout) as typeof reply;
  } catch {
    throw new OciError('OCI_CREDENTIALS_HELPER_FAILED', `${program} get (for ${serverAddress}): expected JSON {ServerURL, Username, Secret}, found output that is not JSON`);
  }
  if (typeof reply?.Username !== 'string' || typeof reply.Secret !== 'string') {
    throw new OciError('OCI_CREDENTIALS_HELPER_FAILED', `${program} get (for ${serverAddress}): expected string Username and Secret, found none`);
  }
  if (reply.Username === '' && reply.Secret === '') return undefined;
  if (reply.Username === '<token>') {
    throw new OciError('OCI_CREDENTIALS_UNSUPPORTED', `${program} get (for ${serverAddress}): the helper holds an identity token (OAuth2 refresh token), which this client does not use`, {
      hint: 'Pass --registry-username and --registry-password, or a helper that returns a user name and password.',
    });
  }
  return makeCredentials(reply.Username, reply.Secret, 'docker-config');
}
