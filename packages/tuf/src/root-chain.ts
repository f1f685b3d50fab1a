// The roots a state walked, kept as roots/N.root.json: an offline reader checks that the
// cached root.json is reached from the trust anchor through signed rotations (TUF 5.3.4: each
// root signed by the threshold of the previous root's keys and of its own), as a refresh did.
// A public-good mirror's anchor is the root embedded in Sigil, so whoever can write the cache
// but holds no Sigstore key cannot make a root of their own; any other mirror's anchor is the
// first root the cache started from (trust on first use).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import { readCacheFile } from './cache-file.js';
import { parseMetadataJson } from './metadata-json.js';

export const ROOT_HISTORY = 'roots';
const ROOT_MAX_BYTES = 512_000; // tuf-js's rootMaxLength

export const rootFileName = (version: number) => `${version}.root.json`;

export function parseRoot(bytes: Uint8Array | string): Metadata<Root> {
  return Metadata.fromJSON(MetadataKind.Root, parseMetadataJson(bytes, 'root.json'));
}

/**
 * Checks that `root` is the end of the chain from `anchor` (the embedded root's text), or from
 * the oldest root in the history when there is no anchor. Returns a reason when it is not.
 */
export function rootChainFailure(stateDir: string, root: Metadata<Root>, anchor: string | undefined): string | undefined {
  const historyDir = join(stateDir, ROOT_HISTORY);
  const load = (version: number): Metadata<Root> | string => {
    const path = join(historyDir, rootFileName(version));
    if (!existsSync(path)) return `the root chain lacks version ${version}`;
    try {
      const loaded = parseRoot(readCacheFile(path, ROOT_MAX_BYTES));
      if (loaded.signed.version !== version) return `${ROOT_HISTORY}/${rootFileName(version)} holds version ${loaded.signed.version}`;
      return loaded;
    } catch (err) {
      return `${ROOT_HISTORY}/${rootFileName(version)} is not a root (${(err as Error).message})`;
    }
  };
  let trusted: Metadata<Root>;
  let from: string;
  if (anchor !== undefined) {
    trusted = parseRoot(anchor);
    from = `the embedded root v${trusted.signed.version}`;
    if (root.signed.version < trusted.signed.version) return `root v${root.signed.version} is older than the embedded root v${trusted.signed.version}`;
  } else {
    const versions = existsSync(historyDir) ? readdirSync(historyDir).map((f) => /^(\d+)\.root\.json$/.exec(f)?.[1]).filter((v) => v !== undefined).map(Number) : [];
    if (versions.length === 0) return undefined; // a state that predates the history: root.json alone is its anchor
    const first = load(Math.min(...versions));
    if (typeof first === 'string') return first;
    trusted = first;
    from = `the first cached root v${trusted.signed.version}`;
    try {
      trusted.verifyDelegate(MetadataKind.Root, trusted);
    } catch (err) {
      return `${from} is not signed by its own keys (${(err as Error).message})`;
    }
  }
  for (let version = trusted.signed.version + 1; version <= root.signed.version; version++) {
    const next = load(version);
    if (typeof next === 'string') return `${next}, between ${from} and root.json v${root.signed.version}`;
    const unsigned = signatureFailure(trusted, next, `the keys of v${version - 1}`) ?? signatureFailure(next, next, 'its own keys');
    if (unsigned !== undefined) return `root v${version} ${unsigned}`;
    trusted = next;
  }
  if (!trusted.signed.equals(root.signed)) return `root.json v${root.signed.version} is not the root ${from} leads to`;
  return undefined;
}

// Each of a rotation's two checks named on its own: which keys failed to sign it.
function signatureFailure(signer: Metadata<Root>, root: Metadata<Root>, keys: string): string | undefined {
  try {
    signer.verifyDelegate(MetadataKind.Root, root);
    return undefined;
  } catch (err) {
    return `is not signed by the threshold of ${keys} (${(err as Error).message})`;
  }
}
