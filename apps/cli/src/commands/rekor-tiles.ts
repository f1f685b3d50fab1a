// `sigil rekor get` on a Rekor v2 log (entries read from its tiles, proven against its verified
// checkpoint) and `sigil rekor verify-log` (two checkpoints of a log over time, proven
// consistent from the tiles: the log only ever grew).
import { encodeHex } from '@sigil/encoding';
import type { Checkpoint } from '@sigil/merkle';
import { entryUuid } from '@sigil/rekor';
import type { RekorLogEntry } from '@sigil/rekor/client';
import type { TrustMaterial } from '@sigil/trust';
import { usageError } from '../cli-error.js';
import { readTextFileLimited } from '../files.js';
import { writeOutputFile } from '../output-file.js';
import { openTileLog } from './tile-log.js';

/** An entry of a Rekor v2 log, in the shape `rekor get` summarizes (no SET, no time: v2 records none). */
export async function readTileEntry(url: string, trust: TrustMaterial, index: bigint): Promise<RekorLogEntry> {
  const log = openTileLog(url, trust);
  const { checkpoint, note } = await log.latest();
  const { body, proof } = await log.entry(index, checkpoint);
  return {
    uuid: entryUuid(body),
    body,
    integratedTime: 0n,
    logId: log.log.logId,
    logIndex: index,
    verification: {
      signedEntryTimestamp: new Uint8Array(0),
      inclusionProof: { logIndex: index, rootHash: checkpoint.rootHash, treeSize: checkpoint.treeSize, hashes: proof, checkpoint: note },
    },
  };
}

export interface VerifyLogFlags {
  checkpoint?: string | undefined;
  'save-checkpoint'?: string | undefined;
  interval?: string | undefined;
}

const MAX_CHECKPOINT_FILE = 64 * 1024;

/**
 * The older checkpoint is --checkpoint FILE (one saved by an earlier run) or the log's current
 * one; the newer is fetched after --interval seconds. Both must verify with the log's key, the
 * tiles must hash to the newer root, and a consistency proof from the tiles must join the two.
 */
export async function verifyLog(url: string, trust: TrustMaterial, flags: VerifyLogFlags, out: (text: string) => void): Promise<number> {
  const seconds = flags.interval === undefined ? 0 : Number(flags.interval);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) throw usageError(`--interval: expected seconds from 0 to 86400, found ${JSON.stringify(flags.interval)}`);
  const log = openTileLog(url, trust);
  let older: Checkpoint;
  if (flags.checkpoint !== undefined) {
    const text = readTextFileLimited(flags.checkpoint, '--checkpoint', MAX_CHECKPOINT_FILE);
    older = log.verify(text, `checkpoint ${flags.checkpoint}`);
  } else {
    older = (await log.latest()).checkpoint;
  }
  if (seconds > 0) await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const { checkpoint: newer, note } = await log.latest();
  const proof = await log.proveConsistent(older, newer);
  // Kept for the next run: the log must extend it.
  if (flags['save-checkpoint'] !== undefined) writeOutputFile(flags['save-checkpoint'], note);
  out(
    `Log ${log.url} (origin ${newer.origin}) is consistent: size ${older.treeSize} (root ${encodeHex(older.rootHash)}) ` +
      `-> size ${newer.treeSize} (root ${encodeHex(newer.rootHash)}), ${proof.length} proof hashes from the tiles; both checkpoints verified with the trusted root's key\n`,
  );
  return 0;
}
