import { createHash, hash as oneShotHash, type Hash } from 'node:crypto';
import { concatBytes } from '@sigil/encoding';

export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];

/** Digest sizes in bytes. */
export const HASH_SIZE: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

export function hash(algorithm: HashAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  // One native call (Node 20.12+) rather than a Hash stream object: a Merkle proof takes dozens.
  return asBytes(oneShotHash(algorithm, parts.length === 1 ? parts[0]! : concatBytes(...parts), 'buffer'));
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  return hash('sha256', ...parts);
}

/**
 * Several digests over one pass of the data: an artifact is read once, whatever the
 * bundle asks for (a statement may list sha256 and sha512 subjects).
 */
export class MultiHasher {
  private readonly hashes: Map<HashAlgorithm, Hash>;

  constructor(algorithms: Iterable<HashAlgorithm>) {
    this.hashes = new Map([...new Set(algorithms)].map((alg) => [alg, createHash(alg)]));
  }

  update(chunk: Uint8Array): this {
    for (const h of this.hashes.values()) h.update(chunk);
    return this;
  }

  digests(): Map<HashAlgorithm, Uint8Array> {
    return new Map([...this.hashes].map(([alg, h]) => [alg, asBytes(h.digest())]));
  }
}

export async function hashStream(
  chunks: AsyncIterable<Uint8Array>,
  algorithms: Iterable<HashAlgorithm>,
): Promise<Map<HashAlgorithm, Uint8Array>> {
  const hasher = new MultiHasher(algorithms);
  for await (const chunk of chunks) hasher.update(chunk);
  return hasher.digests();
}

function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
