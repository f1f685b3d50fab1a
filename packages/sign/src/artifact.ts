import { MultiHasher } from '@sigil/crypto';
import { describeError } from '@sigil/errors';
import { SignError } from './errors.js';

/** What to sign: bytes in memory, or a stream read once (large files). */
export type SignableArtifact = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'stream'; chunks: AsyncIterable<Uint8Array>; onProgress?: (bytes: number) => void };

export interface HashedArtifact {
  sha256: Uint8Array;
  /** Present for in-memory artifacts: node:crypto signs them directly (faster than a digest signature). */
  bytes: Uint8Array | undefined;
}

/** One pass over the artifact: its SHA-256, and its bytes when they are already in memory. */
export async function hashArtifact(artifact: SignableArtifact): Promise<HashedArtifact> {
  if (artifact.kind === 'bytes') {
    return { sha256: new MultiHasher(['sha256']).update(artifact.bytes).digests().get('sha256')!, bytes: artifact.bytes };
  }
  const hasher = new MultiHasher(['sha256']);
  let total = 0;
  try {
    for await (const chunk of artifact.chunks) {
      hasher.update(chunk);
      total += chunk.length;
      artifact.onProgress?.(total);
    }
  } catch (err) {
    throw new SignError('SIGN_ARTIFACT_UNREADABLE', `artifact: cannot be read (${describeError(err)})`, { cause: err });
  }
  return { sha256: hasher.digests().get('sha256')!, bytes: undefined };
}
