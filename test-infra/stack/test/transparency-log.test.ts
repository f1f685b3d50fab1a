import { describe, expect, it } from 'vitest';
import { fromKeyObject, importPublicKey } from '@sigil/crypto';
import { decodeBase64, decodeHex, encodeBase64, encodeHex, utf8Decode, utf8Encode } from '@sigil/encoding';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof } from '@sigil/merkle';
import { verifySignedEntryTimestamp } from '@sigil/rekor';
import { createTransparencyLog, StackError, toBundleEntry, toRekorResponse } from '../src/index.js';
import { stackErrorCode } from './support/stack-error.js';

const body = (n: number) => utf8Encode(`{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"n":${n}}}`);

describe('createTransparencyLog', () => {
  it('returns what Rekor v1 returns: SET, inclusion proof and a signed checkpoint', () => {
    const log = createTransparencyLog({ host: 'rekor.local', treeId: 1193050959916656506n });
    const key = fromKeyObject(log.key.publicKey);
    expect(log.origin).toBe('rekor.local - 1193050959916656506');
    expect(log.baseUrl).toBe('https://rekor.local');
    const added = [];
    for (let n = 0; n < 5; n++) {
      const time = new Date(Date.UTC(2026, 0, 1, 0, 0, n));
      const entry = log.add(body(n), time);
      added.push(entry);
      expect(entry.logIndex).toBe(BigInt(n));
      expect(entry.integratedTime).toBe(BigInt(time.getTime() / 1000));
      expect(entry.uuid).toBe(encodeHex(leafHash(body(n))));
      expect(entry.entryId).toBe(`108e9186e8c5677a${entry.uuid}`);
      expect(verifySignedEntryTimestamp(entry, entry.signedEntryTimestamp, key)).toBe(true);
      const proof = entry.inclusionProof;
      expect(proof.treeSize).toBe(BigInt(n + 1));
      verifyInclusionProof({ leafHash: leafHash(body(n)), index: proof.logIndex, treeSize: proof.treeSize, proof: proof.hashes, rootHash: proof.rootHash });
      const checkpoint = parseCheckpoint(proof.checkpoint);
      expect(checkpoint).toMatchObject({ origin: log.origin, treeSize: proof.treeSize, rootHash: proof.rootHash });
      verifyCheckpoint(checkpoint, { name: 'rekor.local', publicKey: key, keyId: log.logId });
      expect(proof.checkpoint).toMatch(/^rekor\.local - 1193050959916656506\n\d+\n[A-Za-z0-9+/=]+\n\n\u2014 rekor\.local [A-Za-z0-9+/=]+\n$/);
    }
    expect(log.size).toBe(5n);
    // A later read proves the first entry against the current head.
    const again = log.entry(0n);
    expect(again.inclusionProof.treeSize).toBe(5n);
    verifyInclusionProof({ leafHash: leafHash(body(0)), index: 0n, treeSize: 5n, proof: again.inclusionProof.hashes, rootHash: log.treeHead().rootHash });
    expect(log.entryByUuid(again.uuid).logIndex).toBe(0n);
    expect(log.entryByUuid(again.entryId.toUpperCase()).logIndex).toBe(0n);
    const head = log.treeHead();
    verifyConsistencyProof({ size1: 2n, size2: 5n, root1: added[1]!.inclusionProof.rootHash, root2: head.rootHash, proof: log.consistencyProof(2n) });
  });

  it('writes the Rekor v1 JSON answer and the bundle entry', () => {
    const log = createTransparencyLog({ treeId: 7n });
    const entry = log.add(body(1), new Date('2026-01-01T00:00:00Z'));
    const response = toRekorResponse(entry) as Record<string, any>;
    expect(Object.keys(response)).toEqual([entry.entryId]);
    const value = response[entry.entryId];
    expect(utf8Decode(decodeBase64(value.body))).toBe(utf8Decode(body(1)));
    expect(value).toMatchObject({ integratedTime: 1767225600, logID: encodeHex(log.logId), logIndex: 0 });
    expect(value.verification.inclusionProof).toMatchObject({ logIndex: 0, treeSize: 1, rootHash: encodeHex(entry.inclusionProof.rootHash), hashes: [] });
    expect(decodeBase64(value.verification.signedEntryTimestamp)).toEqual(entry.signedEntryTimestamp);
    expect(decodeHex(value.logID)).toEqual(log.logId);
    const bundleEntry = toBundleEntry(entry);
    expect(bundleEntry.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    expect(bundleEntry.canonicalizedBody).toEqual(body(1));
    expect(encodeBase64(bundleEntry.inclusionPromise!.signedEntryTimestamp)).toBe(value.verification.signedEntryTimestamp);
    expect(stackErrorCode(() => toBundleEntry({ ...entry, body: utf8Encode('{"kind":1}') }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => toBundleEntry({ ...entry, body: utf8Encode('not json') }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => toBundleEntry({ ...entry, body: Uint8Array.of(0xff) }))).toBe('STACK_INPUT_INVALID');
  });

  it('verifies its SET with the key the trusted root would carry', () => {
    const log = createTransparencyLog();
    const entry = log.add(body(3));
    const key = importPublicKey(log.key.spki, 'log key');
    expect(verifySignedEntryTimestamp(entry, entry.signedEntryTimestamp, key)).toBe(true);
    expect(log.treeId).toBeGreaterThan(0n);
  });

  it('refuses a body it holds (Rekor 409) and unknown entries', () => {
    const log = createTransparencyLog();
    log.add(body(1));
    try {
      log.add(body(1));
      throw new Error('expected STACK_ENTRY_EXISTS');
    } catch (err) {
      expect(err).toBeInstanceOf(StackError);
      expect((err as StackError).code).toBe('STACK_ENTRY_EXISTS');
      expect((err as StackError).details).toMatchObject({ logIndex: '0' });
    }
    expect(stackErrorCode(() => log.entry(1n))).toBe('STACK_ENTRY_NOT_FOUND');
    expect(stackErrorCode(() => log.entry(-1n))).toBe('STACK_ENTRY_NOT_FOUND');
    expect(stackErrorCode(() => log.entry(0 as never))).toBe('STACK_ENTRY_NOT_FOUND');
    expect(stackErrorCode(() => log.entryByUuid('00'.repeat(32)))).toBe('STACK_ENTRY_NOT_FOUND');
    expect(stackErrorCode(() => log.entryByUuid(5 as never))).toBe('STACK_ENTRY_NOT_FOUND');
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(stackErrorCode(() => createTransparencyLog({ host: 'two words' }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createTransparencyLog({ host: '' }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createTransparencyLog({ treeId: 0n }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createTransparencyLog({ treeId: 1n << 63n }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createTransparencyLog({ treeId: 5 as never }))).toBe('STACK_INPUT_INVALID');
    const log = createTransparencyLog();
    expect(stackErrorCode(() => log.add(new Uint8Array()))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => log.add('body' as never))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => log.add(body(1), new Date('x')))).toBe('STACK_INPUT_INVALID');
    log.add(body(1));
    expect(log.consistencyProof(1n)).toEqual([]);
    expect(stackErrorCode(() => log.consistencyProof(0n))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => log.consistencyProof(1n, 2n))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => log.consistencyProof('1' as never))).toBe('STACK_INPUT_INVALID');
  });
});
