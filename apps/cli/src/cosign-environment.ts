import { CliError } from './cli-error.js';
import { parseGoBool } from './flags/values.js';

// cosign's own variables (pkg/cosign/env) beyond COSIGN_<FLAG>: each one is read with cosign's
// meaning where sigil does what it configures, or refused by name when set.

const SIGNING_COMMANDS = new Set(['sign', 'attest']);

/** Refuses, before anything runs, a cosign variable whose meaning sigil does not implement. */
export function checkCosignEnvironment(command: string, env: NodeJS.ProcessEnv): void {
  if (SIGNING_COMMANDS.has(command) && parseGoBool(env.COSIGN_DOCKER_MEDIA_TYPES ?? '') === true) {
    throw new CliError('CLI_FLAG_REFUSED', 'COSIGN_DOCKER_MEDIA_TYPES=1 is not supported by sigil: it writes signatures with OCI media types only (it reads Docker media types)', {
      hint: 'unset it; every registry with OCI image support (Docker Hub, GitLab, GHCR, Harbor, registry 2.7+) stores OCI manifests',
    });
  }
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** COSIGN_MAX_ATTACHMENT_SIZE (go-humanize's ParseBytes: 5120, 20K, 3M, 45MiB, 1GB): the largest blob read; undefined when unset. */
export function maxAttachmentSize(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.COSIGN_MAX_ATTACHMENT_SIZE;
  if (text === undefined || text === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new CliError('CLI_USAGE', `COSIGN_MAX_ATTACHMENT_SIZE=${text}: expected a size such as 5120, 20K, 3M, 45MiB or 1GB`);
  }
  return bytes;
}
