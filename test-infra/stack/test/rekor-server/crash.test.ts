// kill -9 in the middle of a load, then a start on the same directory: every acknowledged
// entry is there with its index, and the new tree extends every tree head handed out before.
import { afterAll, describe, expect, it } from 'vitest';
import { bytesEqual, decodeHex } from '@sigil/encoding';
import { crashFixture, startChildRekor, type ChildRekor } from './support/child-rekor.js';
import { checkConsistency, checkEntryAnswer, fetchLogKey, postEntry, request, retrieveByIndex, runClients, type CheckedEntry, type LogKey, type TreeHead } from './support/rekor.js';

const CLIENTS = 20;
const { signer, dir, caFile, cleanup } = crashFixture();
let rekor: ChildRekor | undefined;

afterAll(() => cleanup(rekor));

/** Loads the log until `acknowledged` entries are in, then kills it -9 with requests in flight. */
async function loadAndKill(key: LogKey, acknowledged: number): Promise<CheckedEntry[]> {
  const server = rekor!;
  const logged: CheckedEntry[] = [];
  let killing: Promise<void> | undefined;
  const proposals = Array.from({ length: acknowledged * 3 }, (_, i) => (i % 7 === 6 ? signer.dsse() : signer.hashedRekord()).proposed);
  await runClients(
    CLIENTS,
    proposals,
    async (proposed) => {
      let reply;
      try {
        reply = await postEntry(server.url, proposed);
      } catch {
        return; // in flight when the process died: never acknowledged
      }
      expect(reply.status, reply.text).toBe(201);
      logged.push(checkEntryAnswer(reply.json, key));
      if (logged.length === acknowledged) killing = server.kill();
    },
    () => killing !== undefined,
  );
  await killing;
  expect(server.child.signalCode).toBe('SIGKILL');
  return logged;
}

/** Every acknowledged entry is at its index, unchanged, and the tree extends every head handed out. */
async function checkSurvivors(logged: CheckedEntry[], key: LogKey): Promise<TreeHead> {
  const info = (await request(`${rekor!.url}/api/v1/log`)).json;
  const head = { treeSize: BigInt(info.treeSize), rootHash: decodeHex(info.rootHash) };
  const last = logged.reduce((max, entry) => (entry.logIndex > max ? entry.logIndex : max), -1n);
  expect(head.treeSize).toBeGreaterThan(last);
  const reread = await retrieveByIndex(
    rekor!.url,
    logged.map((entry) => entry.logIndex),
    key,
  );
  expect(reread).toHaveLength(logged.length);
  const changed = reread.filter((entry, i) => {
    const before = logged[i]!;
    return entry.logIndex !== before.logIndex || entry.entryId !== before.entryId || !bytesEqual(entry.body, before.body) || !bytesEqual(entry.signedEntryTimestamp, before.signedEntryTimestamp);
  });
  expect(changed).toEqual([]);
  const heads = [...new Map(logged.map((entry) => [entry.treeSize, entry])).values()];
  for (const before of heads) await checkConsistency(rekor!.url, before, head);
  return head;
}

describe('a kill -9 in the middle of a load', () => {
  it('loses no acknowledged entry, twice over, and the log goes on', { timeout: 600_000 }, async () => {
    rekor = await startChildRekor(dir, caFile);
    const key = await fetchLogKey(rekor.url);
    const all: CheckedEntry[] = [];

    for (const acknowledged of [1500, 800]) {
      all.push(...(await loadAndKill(key, acknowledged)));
      rekor = await startChildRekor(dir, caFile);
      expect(await fetchLogKey(rekor.url)).toEqual(key);
      await checkSurvivors(all, key);
    }

    // It still appends, after the entries that survived.
    const before = (await request(`${rekor.url}/api/v1/log`)).json.treeSize;
    const reply = await postEntry(rekor.url, signer.hashedRekord().proposed);
    expect(reply.status).toBe(201);
    expect(checkEntryAnswer(reply.json, key).logIndex).toBe(BigInt(before));
  });
});
