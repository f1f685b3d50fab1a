import { hash, type HashAlgorithm } from '@sigil/crypto';
import { decodeHex } from '@sigil/encoding';
import { VerificationError } from './errors.js';

/**
 * The artifact as the caller has it: its bytes, a stream of its bytes (read once, for
 * large files), or digests computed elsewhere (a `sha256:` argument).
 */
export type Artifact =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; chunks: AsyncIterable<Uint8Array> }
  | { kind: 'digests'; digests: ReadonlyMap<HashAlgorithm, Uint8Array> };

/** Digests or bytes: a stream is hashed into digests before verification starts. */
export type ResolvedArtifact = Exclude<Artifact, { kind: 'stream' }>;

export function artifactFromBytes(bytes: Uint8Array): Artifact {
  return { kind: 'bytes', bytes };
}

/** A stream (a file's ReadStream, say): read once, with every digest the bundle needs. */
export function artifactFromStream(chunks: AsyncIterable<Uint8Array>): Artifact {
  return { kind: 'stream', chunks };
}

export function artifactFromDigests(digests: ReadonlyMap<HashAlgorithm, Uint8Array>): Artifact {
  return { kind: 'digests', digests };
}

const DIGEST_ARGUMENT = /^(sha256|sha384|sha512):([0-9a-fA-F]+)$/;
const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Reads `sha256:<hex>` (the conformance protocol's and cosign's digest form). */
export function parseDigestArgument(text: string): Artifact | undefined {
  const match = DIGEST_ARGUMENT.exec(text);
  if (!match) return undefined;
  const algorithm = match[1] as HashAlgorithm;
  if (match[2]!.length !== HEX_LENGTH[algorithm]) return undefined;
  return artifactFromDigests(new Map([[algorithm, decodeHex(match[2]!.toLowerCase())]]));
}

/** Digests of the artifact on demand, each computed at most once. */
export class ArtifactDigests {
  private readonly computed = new Map<HashAlgorithm, Uint8Array>();

  constructor(readonly artifact: ResolvedArtifact) {}

  get(algorithm: HashAlgorithm): Uint8Array | undefined {
    if (this.artifact.kind === 'digests') return this.artifact.digests.get(algorithm);
    let digest = this.computed.get(algorithm);
    if (!digest) {
      digest = hash(algorithm, this.artifact.bytes);
      this.computed.set(algorithm, digest);
    }
    return digest;
  }

  /** Like get, but a digest the caller did not supply is a typed failure naming the need. */
  require(algorithm: HashAlgorithm, purpose: string): Uint8Array {
    const digest = this.get(algorithm);
    if (!digest) {
      const given = this.artifact.kind === 'digests' ? [...this.artifact.digests.keys()].join(', ') : 'bytes';
      throw new VerificationError(
        'VERIFY_ARTIFACT_UNSUPPORTED',
        `${purpose}: expected the artifact's ${algorithm} digest, found only ${given}`,
        { hint: 'pass the artifact file itself rather than a digest' },
      );
    }
    return digest;
  }
}
