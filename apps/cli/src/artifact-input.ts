import { createReadStream, existsSync, statSync } from 'node:fs';
import { describeError } from '@sigil/errors';
import { artifactFromBytes, artifactFromStream, parseDigestArgument, type Artifact } from '@sigil/verify';
import { CliError } from './cli-error.js';
import { readFileLimited, STREAM_CHUNK_BYTES } from './files.js';

// Below this size the artifact is read whole (and verified by node:crypto); above, it is
// streamed once and the signature is checked over the digests of that single pass.
export const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

/** An artifact file: its bytes, or a single pass over it when it is larger than IN_MEMORY_LIMIT. */
export type ArtifactFile = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'stream'; chunks: AsyncIterable<Uint8Array>; size: number };

/** The artifact argument: a file path, or `sha256:<hex>` for an artifact known by digest. */
export function readArtifact(argument: string): Artifact {
  let file: ArtifactFile;
  try {
    file = readArtifactFile(argument);
  } catch (err) {
    if (/^sha(256|384|512):/.test(argument) && !existsSync(argument)) return digestArgument(argument);
    throw err;
  }
  return file.kind === 'bytes' ? artifactFromBytes(file.bytes) : artifactFromStream(file.chunks);
}

/** The file at `path` (signed or verified); a read that fails, at once or midway, is CLI_FILE_UNREADABLE. */
export function readArtifactFile(path: string): ArtifactFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
  if (size <= IN_MEMORY_LIMIT) return { kind: 'bytes', bytes: readFileLimited(path, 'artifact', IN_MEMORY_LIMIT) };
  return { kind: 'stream', chunks: streamOf(path), size };
}

// A path on disk wins over the digest form, as the conformance protocol says.
function digestArgument(argument: string): Artifact {
  const artifact = parseDigestArgument(argument);
  if (!artifact) throw new CliError('CLI_USAGE', `artifact ${argument}: expected sha256: followed by 64 hex digits (or sha384:/sha512: with 96/128)`);
  return artifact;
}

async function* streamOf(path: string): AsyncIterable<Uint8Array> {
  try {
    yield* createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES });
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
}
