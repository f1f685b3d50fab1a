// Where the cache lives and which mirror it follows, read as cosign reads them: $TUF_ROOT
// (default ~/.sigstore/root) and $TUF_MIRROR, else the mirror `initialize` recorded in
// $TUF_ROOT/remote.json ({"mirror": URL}, cosign's format), else the production mirror.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '@sigil/errors';
import { writeFileAtomic } from './atomic-file.js';
import { readCacheFile, SMALL_FILE_BYTES } from './cache-file.js';
import { TufError } from './errors.js';
import { normalizeMirror, PRODUCTION_MIRROR } from './mirrors.js';

const REMOTE = 'remote.json';

export function tufCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUF_ROOT) return env.TUF_ROOT;
  return join(homeDirectory(env), '.sigstore', 'root');
}

/**
 * os.homedir(), which on POSIX is $HOME when it is set: read directly, so that every offline
 * verification (which looks for a cache first) does not load node:os for it.
 */
function homeDirectory(env: NodeJS.ProcessEnv): string {
  if (process.platform !== 'win32' && env.HOME) return env.HOME;
  const os = process.getBuiltinModule('node:os');
  try {
    return os.homedir();
  } catch {
    return os.tmpdir(); // sigstore-go falls back the same way
  }
}

export interface MirrorChoice {
  mirror: string;
  from: 'TUF_MIRROR' | 'remote.json' | 'default';
}

export function selectedMirror(cacheRoot: string, env: NodeJS.ProcessEnv = process.env): MirrorChoice {
  if (env.TUF_MIRROR) return { mirror: normalizeMirror(env.TUF_MIRROR), from: 'TUF_MIRROR' };
  const path = join(cacheRoot, REMOTE);
  if (!existsSync(path)) return { mirror: PRODUCTION_MIRROR, from: 'default' };
  let mirror: unknown;
  try {
    mirror = JSON.parse(readCacheFile(path, SMALL_FILE_BYTES).toString('utf8'))?.mirror;
  } catch (err) {
    throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${path}: cannot be read (${describeError(err)})`, { cause: err, hint: 'run sigil initialize to record the mirror again' });
  }
  if (typeof mirror !== 'string' || !/^https?:\/\//.test(mirror)) {
    throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${path}: expected {"mirror": URL}, found ${JSON.stringify(mirror)}`, { hint: 'run sigil initialize to record the mirror again' });
  }
  return { mirror: normalizeMirror(mirror), from: 'remote.json' };
}

/** Makes `mirror` the default for later commands, as `cosign initialize` does. */
export function recordMirror(cacheRoot: string, mirror: string): void {
  const path = join(cacheRoot, REMOTE);
  try {
    mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
    writeFileAtomic(path, JSON.stringify({ mirror: normalizeMirror(mirror) }));
  } catch (err) {
    throw new TufError('TUF_CACHE_UNWRITABLE', `TUF cache ${path}: cannot be written (${describeError(err)})`, { cause: err, hint: 'check that $TUF_ROOT is a directory you can write' });
  }
}
