import { createReadStream, statSync } from 'node:fs';
import { describeError } from '@sigil/errors';
import { artifactFromBytes, artifactFromStream, parseDigestArgument, type Artifact } from '@sigil/verify';
import { CliError } from './cli-error.js';
import { readFileLimited, STREAM_CHUNK_BYTES } from './files.js';

// Below this size the artifact is read whole and verified by node:crypto; above, it is
// streamed once and the signature is checked over the digests of that single pass.
const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

/** The artifact argument: a file path, or `sha256:<hex>` for an artifact known by digest. */
export function readArtifact(argument: string): Artifact {
  let size: number | undefined;
  try {
    size = statSync(argument).size;
  } catch (err) {
    if (/^sha(256|384|512):/.test(argument)) return digestArgument(argument);
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${argument}: cannot be read (${describeError(err)})`, { cause: err });
  }
  if (size <= IN_MEMORY_LIMIT) return artifactFromBytes(readFileLimited(argument, 'artifact', IN_MEMORY_LIMIT));
  return artifactFromStream(streamOf(argument));
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
