import { createReadStream, statSync } from 'node:fs';
import { hashStream, type HashAlgorithm } from '@sigil/crypto';
import type { Bundle } from '@sigil/bundle';
import { describeError } from '@sigil/errors';
import { artifactFromBytes, artifactFromDigests, parseDigestArgument, requiredDigests, type Artifact } from '@sigil/verify';
import { CliError } from './cli-error.js';
import { readFileLimited } from './files.js';

// Below this size the artifact is read whole and verified by node:crypto; above, it is
// hashed in one streaming pass and the signature is checked over the digest.
const IN_MEMORY_LIMIT = 16 * 1024 * 1024;
const STREAM_CHUNK = 1024 * 1024;

/** The artifact argument: a file path, or `sha256:<hex>` for an artifact known by digest. */
export async function readArtifact(argument: string, bundle: Bundle): Promise<Artifact> {
  if (/^sha(256|384|512):/.test(argument)) {
    const artifact = parseDigestArgument(argument);
    if (!artifact) throw new CliError('CLI_USAGE', `artifact ${argument}: expected sha256: followed by 64 hex digits (or sha384:/sha512: with 96/128)`);
    return artifact;
  }
  let size: number;
  try {
    size = statSync(argument).size;
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${argument}: cannot be read (${describeError(err)})`, { cause: err });
  }
  if (size <= IN_MEMORY_LIMIT) return artifactFromBytes(readFileLimited(argument, 'artifact', IN_MEMORY_LIMIT));
  return artifactFromDigests(await hashFile(argument, requiredDigests(bundle)));
}

async function hashFile(path: string, algorithms: HashAlgorithm[]): Promise<Map<HashAlgorithm, Uint8Array>> {
  try {
    return await hashStream(createReadStream(path, { highWaterMark: STREAM_CHUNK }), algorithms);
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
}
