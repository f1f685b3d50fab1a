// kill -9 in the middle of a load of concurrent appends to the Rekor v2 log, then a start on the
// same directory: every acknowledged entry is in the tiles at its index and provable against
// the new checkpoint, and the tiles match every checkpoint handed out before the crash.
import { afterAll, describe, expect, it } from 'vitest';
import { importPublicKey, type PublicKey } from '@sigil/crypto';
import { bytesEqual, decodeBase64 } from '@sigil/encoding';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof, type Checkpoint } from '@sigil/merkle';
import { createRekorV2Client, tileProofs } from '@sigil/rekor/client';
import { crashFixture, startChildRekor, type ChildRekor } from '../rekor-server/support/child-rekor.js';
import { runClients } from '../rekor-server/support/rekor.js';

const CLIENTS = 16;
const { signer, dir, caFile, cleanup } = crashFixture();
let rekor: ChildRekor | undefined;

afterAll(() => cleanup(rekor));

interface Acknowledged {
  logIndex: bigint;
  body: Uint8Array;
  checkpoint: Checkpoint;
}

function keyOf(child: ChildRekor): { name: string; publicKey: PublicKey } {
  return { name: child.origin!, publicKey: importPublicKey(decodeBase64(child.spki!), 'log key') };
}

/** An answer checked as a client would: checkpoint signed by the log, entry proven in it. */
function checkAnswer(json: any, key: { name: string; publicKey: PublicKey }): Acknowledged {
  const checkpoint = parseCheckpoint(json.inclusionProof.checkpoint.envelope);
  verifyCheckpoint(checkpoint, key);
  const body = decodeBase64(json.canonicalizedBody);
  const logIndex = BigInt(json.logIndex);
  verifyInclusionProof({ leafHash: leafHash(body), index: logIndex, treeSize: checkpoint.treeSize, proof: json.inclusionProof.hashes.map((h: string) => decodeBase64(h)), rootHash: checkpoint.rootHash });
  return { logIndex, body, checkpoint };
}

async function loadAndKill(acknowledged: number): Promise<Acknowledged[]> {
  const server = rekor!;
  const key = keyOf(server);
  const logged: Acknowledged[] = [];
  let killing: Promise<void> | undefined;
  const requests = Array.from({ length: acknowledged * 3 }, (_, i) => (i % 5 === 4 ? signer.dsseV2() : signer.hashedRekordV2()).request);
  await runClients(
    CLIENTS,
    requests,
    async (request) => {
      let reply: Response;
      let json: unknown;
      try {
        reply = await fetch(`${server.url}/api/v2/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
        json = await reply.json();
      } catch {
        return; // in flight when the process died: never acknowledged
      }
      expect(reply.status, JSON.stringify(json)).toBe(201);
      logged.push(checkAnswer(json, key));
      if (logged.length === acknowledged) killing = server.kill();
    },
    () => killing !== undefined,
  );
  await killing;
  expect(server.child.signalCode).toBe('SIGKILL');
  return logged;
}

/** Through the read API alone (tiles, entry bundles, checkpoint), as a monitor would. */
async function checkSurvivors(logged: Acknowledged[]): Promise<void> {
  const key = keyOf(rekor!);
  const client = createRekorV2Client({ url: rekor!.url });
  const current = parseCheckpoint(await client.getCheckpoint());
  verifyCheckpoint(current, key);
  const last = logged.reduce((max, entry) => (entry.logIndex > max ? entry.logIndex : max), -1n);
  expect(current.treeSize).toBeGreaterThan(last);
  const proofs = tileProofs(client);
  expect(bytesEqual(await proofs.rootHash(current.treeSize), current.rootHash)).toBe(true);

  const bundles = new Map<number, Uint8Array[]>();
  for (const entry of logged) {
    const bundle = Number(entry.logIndex / 256n);
    if (!bundles.has(bundle)) bundles.set(bundle, await client.getEntryBundle(bundle, Math.min(256, Number(current.treeSize) - bundle * 256)));
    expect(bytesEqual(bundles.get(bundle)![Number(entry.logIndex % 256n)]!, entry.body)).toBe(true);
    const proof = await proofs.inclusionProof(entry.logIndex, current.treeSize);
    verifyInclusionProof({ leafHash: leafHash(entry.body), index: entry.logIndex, treeSize: current.treeSize, proof, rootHash: current.rootHash });
  }
  // Every checkpoint handed out: the tiles hash to its root, and the current tree extends it.
  const handedOut = [...new Map(logged.map((entry) => [entry.checkpoint.treeSize, entry.checkpoint])).values()];
  for (const before of handedOut) {
    expect(bytesEqual(await proofs.rootHash(before.treeSize), before.rootHash)).toBe(true);
    const proof = before.treeSize === current.treeSize ? [] : await proofs.consistency(before.treeSize, current.treeSize);
    verifyConsistencyProof({ size1: before.treeSize, size2: current.treeSize, root1: before.rootHash, root2: current.rootHash, proof });
  }
}

describe('the Rekor v2 log under kill -9', () => {
  it('loses no acknowledged entry, twice over; tiles match every checkpoint handed out; the log goes on', { timeout: 300_000 }, async () => {
    rekor = await startChildRekor(dir, caFile, { v2: true });
    const spki = rekor.spki;
    const all: Acknowledged[] = [];
    // Past one full tile (256 entries) and into the next, with partial tiles on both sides of a crash.
    for (const acknowledged of [300, 150]) {
      all.push(...(await loadAndKill(acknowledged)));
      rekor = await startChildRekor(dir, caFile, { v2: true });
      expect(rekor.spki).toBe(spki);
      await checkSurvivors(all);
    }
    const size = rekor.size;
    const reply = await fetch(`${rekor.url}/api/v2/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signer.hashedRekordV2().request) });
    expect(reply.status).toBe(201);
    expect(checkAnswer(await reply.json(), keyOf(rekor)).logIndex).toBe(BigInt(size));
  });
});
