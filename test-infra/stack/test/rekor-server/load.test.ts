// 10,000 entries from 20 concurrent clients: none lost, indices unique and dense, every proof
// handed out holds against later tree heads, and a restart reads the same tree back. The
// service runs in a child process, so that it and the clients use both cores.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, decodeHex } from '@sigil/encoding';
import { createCertificateAuthority } from '../../src/index.js';
import { removeRunnerBundle, startChildRekor, writeChain, type ChildRekor } from './support/child-rekor.js';
import { createEntrySigner } from './support/entries.js';
import {
  checkConsistency,
  checkEntryAnswer,
  fetchLogKey,
  postEntry,
  request,
  retrieveByIndex,
  runClients,
  temporaryDir,
  type CheckedEntry,
  type TreeHead,
} from './support/rekor.js';

const ENTRIES = 10_000;
const CLIENTS = 20;
const ca = createCertificateAuthority();
const signer = createEntrySigner(ca);
const dir = temporaryDir();
const caDir = temporaryDir();
const caFile = writeChain(caDir, ca.chain);
let rekor: ChildRekor;

beforeAll(async () => {
  rekor = await startChildRekor(dir, caFile);
});
afterAll(async () => {
  await rekor.stop();
  await removeRunnerBundle();
  for (const path of [dir, caDir]) rmSync(path, { recursive: true, force: true });
});

const treeHead = async (url: string): Promise<TreeHead> => {
  const info = (await request(`${url}/api/v1/log`)).json;
  return { treeSize: BigInt(info.treeSize), rootHash: decodeHex(info.rootHash) };
};

describe(`${ENTRIES} entries from ${CLIENTS} concurrent clients`, () => {
  it('are all logged once, densely, with proofs that hold against every later tree head', { timeout: 600_000 }, async () => {
    const key = await fetchLogKey(rekor.url);
    // One in ten is an attestation.
    const proposals = Array.from({ length: ENTRIES }, (_, i) => (i % 10 === 9 ? signer.dsse() : signer.hashedRekord()).proposed);
    const logged: CheckedEntry[] = [];
    await runClients(CLIENTS, proposals, async (proposed) => {
      const reply = await postEntry(rekor.url, proposed);
      expect(reply.status, reply.text).toBe(201);
      logged.push(checkEntryAnswer(reply.json, key));
    });

    expect(logged).toHaveLength(ENTRIES);
    const indexes = logged.map((entry) => entry.logIndex).sort((a, b) => (a < b ? -1 : 1));
    expect(indexes).toEqual(Array.from({ length: ENTRIES }, (_, i) => BigInt(i)));
    expect(new Set(logged.map((entry) => entry.uuid)).size).toBe(ENTRIES);
    // Each answer's tree head already held its entry.
    expect(logged.filter((entry) => entry.treeSize <= entry.logIndex)).toEqual([]);

    const final = await treeHead(rekor.url);
    expect(final.treeSize).toBe(BigInt(ENTRIES));

    // Every tree head handed out is consistent with the next one, and some with the final one.
    const heads = [...new Map(logged.map((entry) => [entry.treeSize, entry])).values()].sort((a, b) => (a.treeSize < b.treeSize ? -1 : 1));
    for (const [i, head] of heads.entries()) {
      await checkConsistency(rekor.url, head, heads[i + 1] ?? final);
      if (i % 25 === 0) await checkConsistency(rekor.url, head, final);
    }

    // Every entry, proved again against the final tree head.
    const byIndex = new Map(logged.map((entry) => [entry.logIndex, entry]));
    const reread = await retrieveByIndex(rekor.url, indexes, key);
    expect(reread).toHaveLength(ENTRIES);
    const differing = reread.filter((entry) => {
      const first = byIndex.get(entry.logIndex)!;
      return entry.treeSize !== final.treeSize || !bytesEqual(entry.rootHash, final.rootHash) || entry.entryId !== first.entryId || !bytesEqual(entry.signedEntryTimestamp, first.signedEntryTimestamp);
    });
    expect(differing).toEqual([]);

    // A second start on the directory reads the same tree back.
    await rekor.stop();
    rekor = await startChildRekor(dir, caFile);
    expect(rekor).toMatchObject({ size: ENTRIES, droppedBytes: 0 });
    expect(await treeHead(rekor.url)).toEqual(final);
  });
});
