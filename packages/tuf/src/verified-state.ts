// Reads a state directory offline and checks it against itself: every role signed by the
// threshold of the keys its delegator names, every version and hash the chain root ->
// timestamp -> snapshot -> targets -> registry.npmjs.org lists, and each target's length and
// hashes when it is read. Expiry is reported, not enforced: an offline reader decides.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind, type MetaFile, type Root, type Snapshot, type Targets, type TargetFile, type Timestamp } from '@tufjs/models';
import { describeError } from '@sigil/errors';
import { CacheFileTooLarge, readCacheFile } from './cache-file.js';
import { TufError } from './errors.js';
import { parseMetadataJson } from './metadata-json.js';
import { rootChainFailure } from './root-chain.js';

const NPM_ROLE = 'registry.npmjs.org';
// tuf-js's limits for what it downloads; nothing larger was ever cached by it.
const MAX_BYTES: Record<MetadataKind, number> = { root: 512_000, timestamp: 16_384, snapshot: 2_000_000, targets: 5_000_000 };

export interface RoleVersions {
  root: number;
  timestamp: number;
  snapshot: number;
  targets: number;
  npm: number | undefined;
}

export interface ExpiredRole {
  role: string;
  expires: Date;
}

export interface VerifiedState {
  versions: RoleVersions;
  /** Roles whose `expires` is before `now`, root first. */
  expired: ExpiredRole[];
  timestampExpires: Date;
  /** The target's bytes, checked against the cached metadata; undefined when no role lists it. */
  target(name: string): Uint8Array | undefined;
}

type Loaded<T extends Root | Timestamp | Snapshot | Targets> = { metadata: Metadata<T>; bytes: Buffer };

export interface ReadOptions {
  /** Expiry is reported relative to it. */
  now?: Date | undefined;
  /** The embedded root of a public-good mirror: the cached root must chain from it. */
  anchor?: string | undefined;
}

export function readVerifiedState(stateDir: string, { now = new Date(), anchor }: ReadOptions = {}): VerifiedState {
  const fail = (what: string, cause?: unknown): never => {
    throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${stateDir}: ${what}${cause === undefined ? '' : ` (${describeError(cause)})`}`, cause === undefined ? {} : { cause });
  };
  const load = <T extends Root | Timestamp | Snapshot | Targets>(file: string, kind: MetadataKind, optional = false): Loaded<T> | undefined => {
    const path = join(stateDir, file);
    if (optional && !existsSync(path)) return undefined;
    try {
      const bytes = readCacheFile(path, MAX_BYTES[kind]);
      return { metadata: Metadata.fromJSON(kind as MetadataKind.Root, parseMetadataJson(bytes, file)) as unknown as Metadata<T>, bytes };
    } catch (err) {
      return fail(`${file} is not valid ${kind} metadata`, err);
    }
  };
  const verify = (delegator: Metadata<Root | Targets>, role: string, delegate: Metadata<Root | Timestamp | Snapshot | Targets>) => {
    try {
      delegator.verifyDelegate(role, delegate);
    } catch (err) {
      fail(`${role}.json is not signed by the threshold of its keys`, err);
    }
  };
  const matches = (meta: MetaFile | undefined, loaded: Loaded<Snapshot | Targets>, file: string, listedBy: string) => {
    if (!meta) return fail(`${listedBy} lists no ${file}`);
    if (meta.version !== loaded.metadata.signed.version) fail(`${listedBy} lists ${file} version ${meta.version}, found version ${loaded.metadata.signed.version}`);
    try {
      meta.verify(loaded.bytes);
    } catch (err) {
      fail(`${file} does not match the length or hashes ${listedBy} lists`, err);
    }
  };

  const root = load<Root>('root.json', MetadataKind.Root)!;
  verify(root.metadata, MetadataKind.Root, root.metadata);
  const chainFailure = rootChainFailure(stateDir, root.metadata, anchor);
  if (chainFailure) fail(chainFailure);
  const timestamp = load<Timestamp>('timestamp.json', MetadataKind.Timestamp)!;
  verify(root.metadata, MetadataKind.Timestamp, timestamp.metadata);
  const snapshot = load<Snapshot>('snapshot.json', MetadataKind.Snapshot)!;
  verify(root.metadata, MetadataKind.Snapshot, snapshot.metadata);
  matches(timestamp.metadata.signed.snapshotMeta, snapshot, 'snapshot.json', 'timestamp.json');
  const targets = load<Targets>('targets.json', MetadataKind.Targets)!;
  verify(root.metadata, MetadataKind.Targets, targets.metadata);
  matches(snapshot.metadata.signed.meta['targets.json'], targets, 'targets.json', 'snapshot.json');
  const npm = load<Targets>(`${NPM_ROLE}.json`, MetadataKind.Targets, true);
  if (npm) {
    verify(targets.metadata, NPM_ROLE, npm.metadata);
    matches(snapshot.metadata.signed.meta[`${NPM_ROLE}.json`], npm, `${NPM_ROLE}.json`, 'snapshot.json');
  }

  const roles: [string, Metadata<Root | Timestamp | Snapshot | Targets>][] = [
    ['root', root.metadata],
    ['timestamp', timestamp.metadata],
    ['snapshot', snapshot.metadata],
    ['targets', targets.metadata],
    ...(npm ? [[NPM_ROLE, npm.metadata] as [string, Metadata<Targets>]] : []),
  ];
  const expired = roles.filter(([, m]) => m.signed.isExpired(now)).map(([role, m]) => ({ role, expires: new Date(m.signed.expires) }));

  const infoFor = (name: string): TargetFile | undefined => {
    const own = targets.metadata.signed.targets[name];
    if (own) return own;
    // Only the npm role's own namespace is delegated to it.
    return name.startsWith(`${NPM_ROLE}/`) ? npm?.metadata.signed.targets[name] : undefined;
  };
  return {
    versions: {
      root: root.metadata.signed.version,
      timestamp: timestamp.metadata.signed.version,
      snapshot: snapshot.metadata.signed.version,
      targets: targets.metadata.signed.version,
      npm: npm?.metadata.signed.version,
    },
    expired,
    timestampExpires: new Date(timestamp.metadata.signed.expires),
    target(name) {
      const info = infoFor(name);
      if (!info) return undefined;
      const file = join(stateDir, 'targets', encodeURIComponent(name));
      let bytes: Buffer;
      try {
        bytes = readCacheFile(file, info.length);
      } catch (err) {
        if (err instanceof CacheFileTooLarge) return fail(`target ${name}: expected length ${info.length}, found ${err.size}`);
        return fail(`target ${name} is listed but cannot be read`, err);
      }
      if (bytes.length !== info.length) fail(`target ${name}: expected length ${info.length}, found ${bytes.length}`);
      for (const [algorithm, expected] of Object.entries(info.hashes)) {
        let found: string;
        try {
          found = createHash(algorithm).update(bytes).digest('hex');
        } catch (err) {
          return fail(`target ${name}: hash algorithm ${algorithm} is not supported`, err);
        }
        if (found !== expected) fail(`target ${name}: expected ${algorithm} ${expected}, found ${found}`);
      }
      return new Uint8Array(bytes);
    },
  };
}
