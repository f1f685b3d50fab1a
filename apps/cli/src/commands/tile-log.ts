// A Rekor v2 (tile-based) log as the CLI reads it: its key from the trusted root, checkpoints
// verified with it, entries and proofs from the tiles checked against a verified checkpoint.
import { bytesEqual, encodeHex } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof, type Checkpoint } from '@sigil/merkle';
import { createRekorV2Client, tileProofs, type RekorV2Client } from '@sigil/rekor/client';
import type { LogAuthority, TrustMaterial } from '@sigil/trust';
import { VerificationError } from '@sigil/verify';

export interface TileLog {
  url: string;
  log: LogAuthority;
  client: RekorV2Client;
  /** The log's current checkpoint, verified, and its signed note as served. */
  latest(): Promise<{ checkpoint: Checkpoint; note: string }>;
  /** A signed note verified as this log's checkpoint (`what` names it in errors). */
  verify(note: string, what: string): Checkpoint;
  /** Entry `index` of the verified checkpoint's tree, proven included. */
  entry(index: bigint, checkpoint: Checkpoint): Promise<{ body: Uint8Array; proof: Uint8Array[] }>;
  /** Proves from the tiles that `newer` extends `older` (and that the tiles hash to `newer`'s root). */
  proveConsistent(older: Checkpoint, newer: Checkpoint): Promise<Uint8Array[]>;
}

export function openTileLog(url: string, trust: TrustMaterial): TileLog {
  const normalized = url.replace(/\/+$/, '');
  const log = trust.tlogs.find((candidate) => candidate.baseUrl.replace(/\/+$/, '') === normalized);
  if (!log?.publicKey) {
    throw new VerificationError('VERIFY_TLOG_UNKNOWN_LOG', `Rekor v2 log ${normalized}: expected a log of the trusted root with a usable key, found ${log ? 'one with a key Sigil cannot use' : 'none at that URL'}`, {
      hint: 'pass the trusted root of the instance the log belongs to (--trusted-root)',
    });
  }
  const client = createRekorV2Client({ url: normalized });
  const proofs = tileProofs(client);
  const verify = (note: string, what: string): Checkpoint => {
    try {
      const checkpoint = parseCheckpoint(note);
      verifyCheckpoint(checkpoint, { name: log.hostname, publicKey: log.publicKey!, keyId: log.checkpointKeyId ?? log.logId });
      if (checkpoint.origin !== log.hostname) throw new Error(`expected the origin "${log.hostname}", found "${checkpoint.origin.slice(0, 100)}"`);
      return checkpoint;
    } catch (err) {
      throw new VerificationError('VERIFY_TLOG_CHECKPOINT_INVALID', `${what} of log ${normalized}: ${describeError(err)}`, { cause: err });
    }
  };
  return {
    url: normalized,
    log,
    client,
    async latest() {
      const note = await client.getCheckpoint();
      return { checkpoint: verify(note, 'checkpoint'), note };
    },
    verify,
    async entry(index, checkpoint) {
      if (index >= checkpoint.treeSize) {
        throw new VerificationError('VERIFY_TLOG_PROOF_INVALID', `entry ${index} of log ${normalized}: the log's checkpoint holds ${checkpoint.treeSize} entries`);
      }
      const { body, proof } = await proofs.inclusion(index, checkpoint.treeSize);
      try {
        verifyInclusionProof({ leafHash: leafHash(body), index, treeSize: checkpoint.treeSize, proof, rootHash: checkpoint.rootHash });
      } catch (err) {
        throw new VerificationError('VERIFY_TLOG_PROOF_INVALID', `entry ${index} of log ${normalized}: the tiles do not prove it in the checkpoint of size ${checkpoint.treeSize} (${describeError(err)})`, { cause: err });
      }
      return { body, proof };
    },
    async proveConsistent(older, newer) {
      const root = await proofs.rootHash(newer.treeSize);
      if (!bytesEqual(root, newer.rootHash)) {
        throw new VerificationError('VERIFY_TLOG_INCONSISTENT', `log ${normalized}: the tiles hash to root ${encodeHex(root)} for size ${newer.treeSize}, expected the checkpoint's ${encodeHex(newer.rootHash)}`);
      }
      if (newer.treeSize < older.treeSize) {
        throw new VerificationError('VERIFY_TLOG_INCONSISTENT', `log ${normalized}: the newer checkpoint has ${newer.treeSize} entries, fewer than the older one's ${older.treeSize}: the log shrank`);
      }
      if (older.treeSize === 0n) return [];
      const proof = newer.treeSize === older.treeSize ? [] : await proofs.consistency(older.treeSize, newer.treeSize);
      try {
        verifyConsistencyProof({ size1: older.treeSize, size2: newer.treeSize, root1: older.rootHash, root2: newer.rootHash, proof });
      } catch (err) {
        throw new VerificationError('VERIFY_TLOG_INCONSISTENT', `log ${normalized}: the checkpoint of size ${newer.treeSize} does not extend the one of size ${older.treeSize} (${describeError(err)})`, { cause: err });
      }
      return proof;
    },
  };
}
