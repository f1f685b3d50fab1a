import { createHash } from 'node:crypto';
import { PRODUCTION_MIRROR, recordMirror, refreshTuf, STAGING_MIRROR, trustedRootChanges, tufCacheRoot, type RefreshResult, type RoleVersions } from '@sigil/tuf';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readFileLimited } from '../files.js';
import { plainFlags } from '../flags/plain.js';
import { textLines } from '../terminal-output.js';

const MAX_ROOT_BYTES = 512 * 1024; // tuf-js's own limit for root.json

interface InitializeFlags {
  mirror?: string;
  root?: string;
  'root-checksum'?: string;
  staging?: boolean;
}

/**
 * cosign initialize: refreshes the TUF cache of a mirror and makes that mirror the default for
 * later commands. Unlike cosign, which clears $TUF_ROOT and starts again from the embedded root,
 * a mirror already cached continues from its cached metadata, so a rollback is caught.
 */
export const initializeCommand: Command = {
  name: 'initialize',
  summary: "Refresh the TUF cache of Sigstore's trust material (trusted root, signing config, npm keys) and make the mirror the default",
  usage: 'sigil initialize [--mirror URL] [--root FILE [--root-checksum [sha512:]HEX]] [--staging]',
  flags: plainFlags({
    mirror: { type: 'string' },
    root: { type: 'string' },
    'root-checksum': { type: 'string' },
    staging: { type: 'boolean' },
  }),
  async run(values, _positionals, io) {
    const flags = values as InitializeFlags;
    if (flags.staging && (flags.mirror !== undefined || flags.root !== undefined)) {
      throw usageError('--staging cannot be combined with --mirror or --root: it selects the staging mirror and its embedded root');
    }
    const mirror = flags.staging ? STAGING_MIRROR : (flags.mirror ?? PRODUCTION_MIRROR);
    if (!/^https?:\/\//.test(mirror)) throw usageError(`--mirror: expected an http(s) URL, found ${mirror}`, 'GCS buckets and file:// mirrors are not supported: serve the repository over HTTP(S)');
    const root = flags.root === undefined ? undefined : initialRoot(flags.root, flags['root-checksum']);
    if (root === undefined && flags['root-checksum'] !== undefined) throw usageError('--root-checksum checks the file given with --root: expected --root FILE');
    const cacheRoot = tufCacheRoot();
    const result = await refreshTuf({ cacheRoot, mirror, root });
    recordMirror(cacheRoot, mirror);
    io.stdout(report(result));
    io.stderr(`TUF cache of ${result.mirror} updated in ${cacheRoot}; later commands use this mirror.\n`);
    return 0;
  },
};

// cosign's --root-checksum: sha256 by default, sha512:<hex> for SHA-512.
function initialRoot(path: string, checksum: string | undefined): Uint8Array {
  if (/^https?:\/\//.test(path)) throw usageError('--root: expected a file; download the root.json first and pass it with --root-checksum', 'sigil does not fetch the initial root over the network');
  const bytes = readFileLimited(path, 'TUF root', MAX_ROOT_BYTES);
  if (checksum !== undefined) {
    const [algorithm, expected] = checksum.startsWith('sha512:') ? ['sha512', checksum.slice(7)] : ['sha256', checksum.replace(/^sha256:/, '')];
    const found = createHash(algorithm!).update(bytes).digest('hex');
    if (found !== expected!.toLowerCase()) throw usageError(`--root-checksum: expected ${algorithm} ${expected} for ${path}, found ${found}`);
  }
  return bytes;
}

const versions = (v: RoleVersions) =>
  `root v${v.root}, timestamp v${v.timestamp}, snapshot v${v.snapshot}, targets v${v.targets}${v.npm === undefined ? '' : `, registry.npmjs.org v${v.npm}`}`;

function report(result: RefreshResult): string {
  const lines = [`TUF mirror ${result.mirror}: ${versions(result.after.versions)}`];
  if (result.discardedCache) lines.push(`  (the previous cache could not be used and was replaced: ${result.discardedCache})`);
  if (!result.before) {
    lines.push('  first refresh of this mirror: nothing cached before');
    return textLines(lines);
  }
  lines.push(`  before: ${versions(result.before.versions)}`);
  const changes = result.before.trustedRoot === undefined ? [] : trustedRootChanges(result.before.trustedRoot, result.after.trustedRoot);
  if (result.before.trustedRoot === result.after.trustedRoot) lines.push('  trusted_root.json: unchanged');
  else if (changes.length === 0) lines.push('  trusted_root.json: changed, with the same logs and authorities');
  for (const change of changes) {
    const window = [change.validFor.start && `from ${change.validFor.start}`, change.validFor.end && `until ${change.validFor.end}`].filter(Boolean).join(' ');
    lines.push(`  ${change.kind} ${change.change}: ${change.name}${window ? ` (${window})` : ''}`);
  }
  return textLines(lines);
}
