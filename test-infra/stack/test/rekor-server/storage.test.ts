// The state directory: a restart serves the same log; a torn tail is cut off; anything else
// unexpected is refused with a typed error rather than served.
import { appendFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHex, utf8Encode } from '@sigil/encoding';
import { leafHash, MerkleTree } from '@sigil/merkle';
import { generateSigningKey, StackError } from '../../src/index.js';
import { recordCodec } from '../../src/rekor-server/entry-record.js';
import { PackedHashStore } from '../../src/rekor-server/packed-hash-store.js';
import { createRekorService, RekorServiceError } from '../../src/rekor-server/index.js';
import { createEntrySigner } from './support/entries.js';
import { checkConsistency, checkEntryAnswer, postEntry, request, startRekor, temporaryDir, type RunningRekor } from './support/rekor.js';

const signer = createEntrySigner();

async function rekorError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RekorServiceError);
    return (err as RekorServiceError).code;
  }
  throw new Error('expected a RekorServiceError');
}

async function fill(rekor: RunningRekor, count: number) {
  const entries = [];
  for (let i = 0; i < count; i++) entries.push(checkEntryAnswer((await postEntry(rekor.url, signer.hashedRekord().proposed)).json, rekor.key));
  return entries;
}

const head = async (url: string) => {
  const info = (await request(`${url}/api/v1/log`)).json;
  return { treeSize: BigInt(info.treeSize), rootHash: decodeHex(info.rootHash), checkpoint: info.signedTreeHead as string };
};

describe('a restart on the same directory', () => {
  it('serves the same log: key, tree ID, entries, SETs, tree head; appends go on after the last entry', async () => {
    const first = await startRekor();
    const entries = await fill(first, 5);
    const before = await head(first.url);
    await first.stop();
    expect(statSync(join(first.dir, 'log-key.pem')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(first.dir, 'log.json'), 'utf8'))).toEqual({ treeId: first.service.treeId.toString(), logId: Buffer.from(first.service.logId).toString('hex') });

    const second = await startRekor({ dir: first.dir });
    expect(second.service.logId).toEqual(first.service.logId);
    expect(second.service.treeId).toBe(first.service.treeId);
    expect(second.service.recovered).toEqual({ entries: 5, droppedBytes: 0 });
    const after = await head(second.url);
    expect(after.treeSize).toBe(5n);
    expect(after.rootHash).toEqual(before.rootHash);
    for (const entry of entries) {
      const again = checkEntryAnswer((await request(`${second.url}/api/v1/log/entries?logIndex=${entry.logIndex}`)).json, second.key);
      expect(again).toMatchObject({ entryId: entry.entryId, integratedTime: entry.integratedTime, signedEntryTimestamp: entry.signedEntryTimestamp });
    }
    expect((await postEntry(second.url, signer.hashedRekord().proposed)).json).toBeDefined();
    const grown = await head(second.url);
    expect(grown.treeSize).toBe(6n);
    await checkConsistency(second.url, before, grown);
    // The same body is still a duplicate after the restart.
    const duplicate = await postEntry(second.url, JSON.parse(JSON.stringify(signer.hashedRekord().proposed)));
    expect(duplicate.status).toBe(201);
    await second.stop(true);
  });

  it('uses a given key without writing it, and refuses a directory of another key or tree', async () => {
    const key = generateSigningKey('P-256');
    const rekor = await startRekor({ signingKey: key, treeId: 77n });
    await fill(rekor, 1);
    await rekor.stop();
    expect(() => statSync(join(rekor.dir, 'log-key.pem'))).toThrow();
    expect(await rekorError(createRekorService({ dir: rekor.dir, host: 'rekor.local', signingKey: generateSigningKey('P-256') }))).toBe('STACK_REKOR_STATE_MISMATCH');
    expect(await rekorError(createRekorService({ dir: rekor.dir, host: 'rekor.local', signingKey: key, treeId: 78n }))).toBe('STACK_REKOR_STATE_MISMATCH');
    const again = await createRekorService({ dir: rekor.dir, host: 'rekor.local', signingKey: key });
    expect(again.treeId).toBe(77n);
    expect(again.size).toBe(1);
    await again.close();
    rmSync(rekor.dir, { recursive: true, force: true });
  });
});

describe('recovery of the entries file', () => {
  it('cuts off a torn last record (a write that was never acknowledged)', async () => {
    const rekor = await startRekor();
    await fill(rekor, 3);
    const before = await head(rekor.url);
    await rekor.stop();
    const path = join(rekor.dir, 'entries.log');
    const whole = statSync(path).size;
    const record = recordCodec.encode({ logIndex: 3n, integratedTime: 1n, signedEntryTimestamp: new Uint8Array(70), body: new Uint8Array(500).fill(65) });
    for (const torn of [record.subarray(0, 5), record.subarray(0, 300), record.subarray(0, record.length - 1)]) {
      appendFileSync(path, torn);
      const service = await createRekorService({ dir: rekor.dir, host: 'rekor.local' });
      expect(service.recovered).toEqual({ entries: 3, droppedBytes: torn.length });
      expect(statSync(path).size).toBe(whole);
      await service.close();
    }
    const again = await startRekor({ dir: rekor.dir });
    expect(await head(again.url)).toMatchObject({ treeSize: before.treeSize, rootHash: before.rootHash });
    await again.stop(true);
  });

  it('cuts the log at the first damaged record', async () => {
    const rekor = await startRekor();
    await fill(rekor, 4);
    await rekor.stop();
    const path = join(rekor.dir, 'entries.log');
    const bytes = readFileSync(path);
    const second = 16 + recordCodec.decode(bytes, 16)!.size;
    bytes[second + 40] = bytes[second + 40]! ^ 0xff;
    writeFileSync(path, bytes);
    const service = await createRekorService({ dir: rekor.dir, host: 'rekor.local' });
    expect(service.size).toBe(1);
    expect(service.recovered.droppedBytes).toBe(bytes.length - second);
    await service.close();
    rmSync(rekor.dir, { recursive: true, force: true });
  });

  it('refuses files it did not write, records out of order and repeated bodies', async () => {
    const rekor = await startRekor();
    await fill(rekor, 2);
    await rekor.stop();
    const path = join(rekor.dir, 'entries.log');
    const original = readFileSync(path);
    const open = () => createRekorService({ dir: rekor.dir, host: 'rekor.local' });

    writeFileSync(path, Buffer.concat([Buffer.from('NOT-A-REKOR-LOG\n'), original.subarray(16)]));
    expect(await rekorError(open())).toBe('STACK_REKOR_STORAGE_CORRUPT');

    const first = recordCodec.decode(original, 16)!;
    writeFileSync(path, Buffer.concat([original, recordCodec.encode({ ...first.record, logIndex: 5n })]));
    expect(await rekorError(open())).toBe('STACK_REKOR_STORAGE_CORRUPT');
    writeFileSync(path, Buffer.concat([original, recordCodec.encode({ ...first.record, logIndex: 2n })]));
    expect(await rekorError(open())).toBe('STACK_REKOR_STORAGE_CORRUPT');

    writeFileSync(path, original);
    writeFileSync(join(rekor.dir, 'log.json'), '{"treeId": 5}');
    expect(await rekorError(open())).toBe('STACK_REKOR_STORAGE_CORRUPT');
    writeFileSync(join(rekor.dir, 'log.json'), 'not json');
    expect(await rekorError(open())).toBe('STACK_REKOR_STORAGE_CORRUPT');
    writeFileSync(join(rekor.dir, 'log-key.pem'), 'not a key');
    await expect(open()).rejects.toSatisfy((err) => err instanceof StackError && err.code === 'STACK_STATE_INVALID');
    rmSync(rekor.dir, { recursive: true, force: true });
  });

  it('starts afresh from an entries file cut short while it was being created', async () => {
    const dir = temporaryDir();
    const service = await createRekorService({ dir, host: 'rekor.local' });
    await service.close();
    truncateSync(join(dir, 'entries.log'), 7);
    const again = await startRekor({ dir });
    expect(again.service.size).toBe(0);
    await fill(again, 1);
    await again.stop(true);
  });
});

describe('the tree rebuilt at a start', () => {
  it('is the tree appends build: same root and proofs for every size loaded', () => {
    for (const size of [1, 2, 3, 7, 8, 9, 63, 64, 65, 1000]) {
      const leaves = Array.from({ length: size }, (_, i) => leafHash(utf8Encode(`entry ${i}`)));
      const appended = new MerkleTree(new PackedHashStore());
      for (const leaf of leaves) appended.appendLeafHash(leaf);
      const store = new PackedHashStore();
      for (const leaf of leaves) store.putLeaf(leaf);
      store.completeParents();
      const loaded = new MerkleTree(store, BigInt(size));
      expect(loaded.rootHash()).toEqual(appended.rootHash());
      const index = BigInt(size - 1);
      expect(loaded.inclusionProof(index)).toEqual(appended.inclusionProof(index));
      loaded.appendLeafHash(leafHash(utf8Encode('one more')));
      appended.appendLeafHash(leafHash(utf8Encode('one more')));
      expect(loaded.rootHash()).toEqual(appended.rootHash());
    }
  });
});

describe('options and lifecycle', () => {
  it('refuses malformed options', async () => {
    const dir = temporaryDir();
    const cases: unknown[] = [
      undefined,
      { host: 'rekor.local' },
      { dir: '', host: 'rekor.local' },
      { dir },
      { dir, host: 'has space' },
      { dir, host: 'a+b' },
      { dir, host: 'rekor.local', treeId: 0n },
      { dir, host: 'rekor.local', treeId: 1 << 62 },
      { dir, host: 'rekor.local', treeId: 1n << 63n },
      { dir, host: 'rekor.local', signingKey: 'key' },
      { dir, host: 'rekor.local', signingKey: generateSigningKey('P-384') },
      { dir, host: 'rekor.local', trustedCas: [[]] },
      { dir, host: 'rekor.local', maxBodyBytes: 10 },
      { dir, host: 'rekor.local', maxBodyBytes: 1500.5 },
      { dir, host: 'rekor.local', signatureThreads: -1 },
      { dir, host: 'rekor.local', signatureThreads: 1.5 },
      { dir, host: 'rekor.local', signatureThreads: 5 },
      { dir, host: 'rekor.local', signatureThreads: '2' },
    ];
    for (const options of cases) {
      expect(await rekorError(createRekorService(options as never))).toBe('STACK_REKOR_OPTIONS_INVALID');
    }
    writeFileSync(join(dir, 'file'), '');
    expect(await rekorError(createRekorService({ dir: join(dir, 'file', 'rekor'), host: 'rekor.local' }))).toBe('STACK_REKOR_STORAGE_FAILED');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 once closed; a misconfigured trust list is a 500', async () => {
    const rekor = await startRekor({ trustedCas: () => 'not chains' as never });
    const reply = await postEntry(rekor.url, signer.hashedRekord().proposed);
    expect(reply.status).toBe(500);
    await rekor.service.close();
    await rekor.service.close();
    const rekor2 = await startRekor();
    await rekor2.service.close();
    const closed = await postEntry(rekor2.url, signer.hashedRekord().proposed);
    expect(closed.status).toBe(503);
    expect(closed.json).toEqual({ code: 503, message: expect.any(String), reason: 'REKOR_LOG_UNAVAILABLE' });
    await rekor.stop(true);
    await rekor2.stop(true);
  });
});
