import { afterEach, describe, expect, it } from 'vitest';
import type { TransparencyLogEntry as BundleTlogEntry } from '@sigil/bundle';
import { encodeHex, utf8Decode } from '@sigil/encoding';
import { HttpClientError } from '@sigil/http-client';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof } from '@sigil/merkle';
import { verifySignedEntryTimestamp } from '../../src/index.js';
import { createRekorClient, RekorClientError, toTransparencyLogEntry, type RekorClientErrorCode, type RekorLogEntry } from '../../src/client/index.js';
import { fakeRekor, type FakeRekor } from './fake-rekor.js';
import { localServer, sendRawJson as sendJson, type LocalServer } from '@sigil/stack';

const quick = { retryDelayMs: 1, maxRetryDelayMs: 20 };
const open: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function rekor(intercept?: Parameters<typeof fakeRekor>[0]): Promise<FakeRekor> {
  const fake = await fakeRekor(intercept);
  open.push(fake.server);
  return fake;
}

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const server = await localServer(handler);
  open.push(server);
  return server;
}

async function expectRekorError(promise: Promise<unknown>, code: RekorClientErrorCode): Promise<RekorClientError> {
  const err = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(err).toBeInstanceOf(RekorClientError);
  expect((err as RekorClientError).code).toBe(code);
  return err as RekorClientError;
}

const proposal = (n: number) => ({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { n } });

/** What a client checks of an entry it got: SET with the log key, inclusion proof, checkpoint. */
async function expectVerifiable(entry: RekorLogEntry, client: ReturnType<typeof createRekorClient>, host: string) {
  const key = await client.getPublicKey();
  const fields = { body: entry.body, integratedTime: entry.integratedTime, logIndex: entry.logIndex, logId: entry.logId };
  expect(verifySignedEntryTimestamp(fields, entry.verification.signedEntryTimestamp, key)).toBe(true);
  const proof = entry.verification.inclusionProof!;
  verifyInclusionProof({ leafHash: leafHash(entry.body), index: proof.logIndex, treeSize: proof.treeSize, proof: proof.hashes, rootHash: proof.rootHash });
  const checkpoint = parseCheckpoint(proof.checkpoint);
  verifyCheckpoint(checkpoint, { name: host, publicKey: key });
  expect(checkpoint.rootHash).toEqual(proof.rootHash);
  expect(checkpoint.treeSize).toBe(proof.treeSize);
}

describe('createRekorClient against a Rekor v1 API', () => {
  it('createEntry: the new entry decoded, with a SET and inclusion proof that verify', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    await client.createEntry(proposal(0));
    const entry = await client.createEntry(proposal(1));
    expect(fake.proposals).toEqual([proposal(0), proposal(1)]);
    expect(entry.logIndex).toBe(1n);
    expect(entry.uuid).toMatch(/^[0-9a-f]{80}$/);
    expect(entry.uuid.slice(16)).toBe(encodeHex(leafHash(entry.body)));
    expect(JSON.parse(utf8Decode(entry.body))).toEqual(proposal(1));
    expect(entry.logId).toEqual(fake.log.logId);
    expect(typeof entry.integratedTime).toBe('bigint');
    expect(entry.verification.inclusionProof).toMatchObject({ logIndex: 1n, treeSize: 2n });
    await expectVerifiable(entry, client, 'rekor.test');
  });

  it('createEntry of a duplicate: the existing entry, fetched by the UUID the 409 names', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    const first = await client.createEntry(proposal(7));
    await client.createEntry(proposal(8));
    const again = await client.createEntry(proposal(7));
    expect(again.uuid).toBe(first.uuid);
    expect(again.logIndex).toBe(first.logIndex);
    expect(again.body).toEqual(first.body);
    expect(again.integratedTime).toBe(first.integratedTime);
    // Proved against the newer tree head.
    expect(again.verification.inclusionProof?.treeSize).toBe(2n);
    await expectVerifiable(again, client, 'rekor.test');
  });

  it('getEntryByIndex and getEntryByUuid (64 and 80 hex, any case) return the same entry', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    for (let i = 0; i < 5; i++) await client.createEntry(proposal(i));
    const byIndex = await client.getEntryByIndex(3n);
    expect(byIndex.logIndex).toBe(3n);
    for (const uuid of [byIndex.uuid, byIndex.uuid.slice(16), byIndex.uuid.toUpperCase()]) {
      const byUuid = await client.getEntryByUuid(uuid);
      expect(byUuid.body).toEqual(byIndex.body);
      expect(byUuid.logIndex).toBe(3n);
    }
  });

  it('getLogInfo, getPublicKey and getConsistencyProof fit together', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    for (let i = 0; i < 3; i++) await client.createEntry(proposal(i));
    const before = await client.getLogInfo();
    for (let i = 3; i < 7; i++) await client.createEntry(proposal(i));
    const after = await client.getLogInfo();
    expect([before.treeSize, after.treeSize, after.treeId]).toEqual([3n, 7n, 1234n]);
    expect(after.inactiveShards).toEqual([]);
    const key = await client.getPublicKey();
    expect(key.spki).toEqual(fake.log.key.spki);
    expect(verifyCheckpoint(parseCheckpoint(after.signedTreeHead), { name: 'rekor.test', publicKey: key })).toBeTruthy();
    const proof = await client.getConsistencyProof(3n, 7n);
    expect(proof.rootHash).toEqual(after.rootHash);
    verifyConsistencyProof({ size1: 3n, size2: 7n, root1: before.rootHash, root2: after.rootHash, proof: proof.hashes });
  });

  it('toTransparencyLogEntry: a bundle tlog entry, kind and version from the body', async () => {
    const fake = await rekor();
    const entry = await createRekorClient({ url: fake.server.url }).createEntry(proposal(0));
    const tlog: BundleTlogEntry = toTransparencyLogEntry(entry);
    expect(tlog).toEqual({
      logIndex: 0n,
      logId: entry.logId,
      kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
      integratedTime: entry.integratedTime,
      inclusionPromise: { signedEntryTimestamp: entry.verification.signedEntryTimestamp },
      inclusionProof: entry.verification.inclusionProof,
      canonicalizedBody: entry.body,
    });
  });

  it('works below a path prefix', async () => {
    const paths: string[] = [];
    const server = await serve((res, _body, _hit, req) => {
      paths.push(req.url!);
      sendJson(res, 200, { rootHash: '00'.repeat(32), treeSize: 0, signedTreeHead: 'x', treeID: '1' });
    });
    await createRekorClient({ url: `${server.url}/rekor` }).getLogInfo();
    expect(paths).toEqual(['/rekor/api/v1/log']);
  });
});

describe('a hostile or broken Rekor', () => {
  it('a 503 then the answer: retried', async () => {
    const fake = await rekor((res, hit) => hit === 0 && (sendJson(res, 503, { code: 503, message: 'busy' }), true));
    const entry = await createRekorClient({ url: fake.server.url, ...quick }).createEntry(proposal(0));
    expect(entry.logIndex).toBe(0n);
    expect(fake.server.hits).toBe(2);
  });

  it('5xx every time: REKOR_CLIENT_HTTP with status and message', async () => {
    const server = await serve((res) => sendJson(res, 500, { code: 500, message: 'error communicating with trillian' }));
    const err = await expectRekorError(createRekorClient({ url: server.url, ...quick, retries: 1 }).getLogInfo(), 'REKOR_CLIENT_HTTP');
    expect(err.details).toMatchObject({ httpCode: 'HTTP_STATUS', status: 500, serverMessage: 'error communicating with trillian' });
    expect(server.hits).toBe(2);
  });

  it('a 400 refusal of the proposal: REKOR_CLIENT_HTTP, not retried', async () => {
    const server = await serve((res) => sendJson(res, 400, { code: 400, message: 'verifying signature: invalid signature when validating ASN.1 encoded signature' }));
    const err = await expectRekorError(createRekorClient({ url: server.url, ...quick }).createEntry(proposal(0)), 'REKOR_CLIENT_HTTP');
    expect(err.details?.status).toBe(400);
    expect(server.hits).toBe(1);
  });

  it('an entry the log does not have: REKOR_CLIENT_ENTRY_NOT_FOUND', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    await expectRekorError(client.getEntryByIndex(5n), 'REKOR_CLIENT_ENTRY_NOT_FOUND');
    await expectRekorError(client.getEntryByUuid('ab'.repeat(32)), 'REKOR_CLIENT_ENTRY_NOT_FOUND');
  });

  it('garbage, a wrong content type, a huge body, no answer: REKOR_CLIENT_HTTP with the HTTP code', async () => {
    const cases: [string, (res: Parameters<Parameters<typeof localServer>[0]>[0]) => void, object][] = [
      ['HTTP_INVALID_JSON', (res) => sendJson(res, 200, '{"rootHash":'), {}],
      ['HTTP_CONTENT_TYPE', (res) => (res.writeHead(200, { 'content-type': 'text/plain' }), res.end('ok')), {}],
      ['HTTP_BODY_TOO_LARGE', (res) => sendJson(res, 200, { pad: 'x'.repeat(5000) }), { maxResponseBytes: 1000 }],
      ['HTTP_TIMEOUT', () => undefined, { timeoutMs: 100, retries: 0 }],
    ];
    for (const [httpCode, handler, options] of cases) {
      const server = await serve(handler);
      const err = await expectRekorError(createRekorClient({ url: server.url, ...quick, ...options }).getLogInfo(), 'REKOR_CLIENT_HTTP');
      expect(err.details?.httpCode).toBe(httpCode);
      expect((err.cause as HttpClientError).code).toBe(httpCode);
    }
  });

  it('a connection refused: REKOR_CLIENT_HTTP (HTTP_NETWORK)', async () => {
    const server = await localServer(() => undefined);
    await server.close();
    const err = await expectRekorError(createRekorClient({ url: server.url, ...quick, retries: 0 }).getEntryByIndex(0n), 'REKOR_CLIENT_HTTP');
    expect(err.details?.httpCode).toBe('HTTP_NETWORK');
  });

  describe('entries that are not what was asked for', () => {
    /** A real entry from a fake log, rewritten by `tamper` before it is served. */
    async function tampered(tamper: (entry: Record<string, any>, key: string) => unknown, index = 0n) {
      const fake = await rekor();
      const client = createRekorClient({ url: fake.server.url });
      await client.createEntry(proposal(0));
      await client.createEntry(proposal(1));
      const entry = fake.log.entry(index);
      const { toRekorResponse } = await import('@sigil/stack');
      const answer = toRekorResponse(entry) as Record<string, Record<string, any>>;
      const served = tamper(answer[entry.entryId]!, entry.entryId) ?? answer;
      const server = await serve((res) => sendJson(res, 200, served));
      return { client: createRekorClient({ url: server.url, ...quick }), entry };
    }

    it.each([
      ['a body that is not the UUID leaf', (e: Record<string, any>) => void (e.body = Buffer.from('{"kind":"other"}').toString('base64'))],
      ['a body that is not base64', (e: Record<string, any>) => void (e.body = '***')],
      ['an empty body', (e: Record<string, any>) => void (e.body = '')],
      ['a logID of the wrong size', (e: Record<string, any>) => void (e.logID = 'abcd')],
      ['a string integratedTime', (e: Record<string, any>) => void (e.integratedTime = 'now')],
      ['a logIndex above 2^53', (e: Record<string, any>) => void (e.logIndex = 2 ** 60)],
      ['a negative logIndex', (e: Record<string, any>) => void (e.logIndex = -1)],
      ['no verification', (e: Record<string, any>) => void delete e.verification],
      ['no SET', (e: Record<string, any>) => void delete e.verification.signedEntryTimestamp],
      ['a proof hash of 31 bytes', (e: Record<string, any>) => void (e.verification.inclusionProof.hashes = ['00'.repeat(31)])],
      ['65 proof hashes', (e: Record<string, any>) => void (e.verification.inclusionProof.hashes = Array(65).fill('00'.repeat(32)))],
      ['a proof without checkpoint', (e: Record<string, any>) => void delete e.verification.inclusionProof.checkpoint],
      ['a key that is not hex', (_e: Record<string, any>, key: string) => ({ [`zz${key.slice(2)}`]: _e })],
      ['two entries', (e: Record<string, any>, key: string) => ({ [key]: e, [`${key.slice(0, 16)}${'ab'.repeat(32)}`]: e })],
      ['no entry', () => ({})],
      ['an array', () => []],
    ])('%s: REKOR_CLIENT_RESPONSE_INVALID', async (_name, tamper) => {
      const { client } = await tampered(tamper);
      await expectRekorError(client.getEntryByIndex(0n), 'REKOR_CLIENT_RESPONSE_INVALID');
    });

    it('an entry at another index than asked: REKOR_CLIENT_RESPONSE_INVALID', async () => {
      const { client } = await tampered(() => undefined, 1n);
      await expectRekorError(client.getEntryByIndex(0n), 'REKOR_CLIENT_RESPONSE_INVALID');
    });

    it('an entry with another UUID than asked: REKOR_CLIENT_RESPONSE_INVALID', async () => {
      const { client } = await tampered(() => undefined, 1n);
      await expectRekorError(client.getEntryByUuid('ab'.repeat(32)), 'REKOR_CLIENT_RESPONSE_INVALID');
    });

    it('null proof hashes (Go writes an empty list so) read as none', async () => {
      const { client } = await tampered((e) => void (e.verification.inclusionProof.hashes = null));
      expect((await client.getEntryByIndex(0n)).verification.inclusionProof?.hashes).toEqual([]);
    });

    it('an entry without an inclusion proof is read (older logs); the SET is still required', async () => {
      const { client } = await tampered((e) => void delete e.verification.inclusionProof);
      const entry = await client.getEntryByIndex(0n);
      expect(entry.verification.inclusionProof).toBeUndefined();
      expect(toTransparencyLogEntry(entry).inclusionProof).toBeUndefined();
    });
  });

  it('a 409 without a usable Location: REKOR_CLIENT_RESPONSE_INVALID', async () => {
    for (const location of [undefined, '/api/v1/log/entries/not-a-uuid', 'https://elsewhere.example/']) {
      const server = await serve((res) => sendJson(res, 409, { code: 409, message: 'exists' }, location === undefined ? {} : { location }));
      await expectRekorError(createRekorClient({ url: server.url }).createEntry(proposal(0)), 'REKOR_CLIENT_RESPONSE_INVALID');
    }
  });

  it('a 409 is followed on the same Rekor, whatever host the Location names', async () => {
    const fake = await rekor();
    const client = createRekorClient({ url: fake.server.url });
    const first = await client.createEntry(proposal(0));
    const server = await serve((res) => sendJson(res, 409, { code: 409, message: 'exists' }, { location: `https://attacker.example/api/v1/log/entries/${first.uuid}` }));
    // The UUID is taken from the Location, and asked of the log the client talks to.
    const proxy = await serve((res, body, _hit, req) => {
      if (req.method === 'POST') return void fetch(server.url, { method: 'POST', body }).then(async (r) => sendJson(res, r.status, await r.text(), { location: r.headers.get('location')! }));
      void fetch(`${fake.server.url}${req.url}`).then(async (r) => sendJson(res, r.status, await r.text()));
    });
    const again = await createRekorClient({ url: proxy.url }).createEntry(proposal(0));
    expect(again.uuid).toBe(first.uuid);
  });

  it('a public key that is not PEM, or not a key: REKOR_CLIENT_RESPONSE_INVALID', async () => {
    for (const text of ['hello', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n']) {
      const server = await serve((res) => (res.writeHead(200, { 'content-type': 'application/x-pem-file' }), res.end(text)));
      await expectRekorError(createRekorClient({ url: server.url }).getPublicKey(), 'REKOR_CLIENT_RESPONSE_INVALID');
    }
  });

  it.each([
    ['a root hash that is not hex', { rootHash: 'zz', treeSize: 1, signedTreeHead: 'x', treeID: '1' }],
    ['a tree size as text', { rootHash: '00'.repeat(32), treeSize: 'one', signedTreeHead: 'x', treeID: '1' }],
    ['a tree ID that is not decimal', { rootHash: '00'.repeat(32), treeSize: 1, signedTreeHead: 'x', treeID: 'abc' }],
    ['a bad inactive shard', { rootHash: '00'.repeat(32), treeSize: 1, signedTreeHead: 'x', treeID: '1', inactiveShards: [{}] }],
  ])('log info with %s: REKOR_CLIENT_RESPONSE_INVALID', async (_name, answer) => {
    const server = await serve((res) => sendJson(res, 200, answer));
    await expectRekorError(createRekorClient({ url: server.url }).getLogInfo(), 'REKOR_CLIENT_RESPONSE_INVALID');
  });

  it('a consistency proof with a bad hash: REKOR_CLIENT_RESPONSE_INVALID', async () => {
    const server = await serve((res) => sendJson(res, 200, { rootHash: '00'.repeat(32), hashes: ['0'] }));
    await expectRekorError(createRekorClient({ url: server.url }).getConsistencyProof(1n, 2n), 'REKOR_CLIENT_RESPONSE_INVALID');
  });
});

describe('bad arguments: REKOR_CLIENT_INPUT_INVALID, nothing sent', () => {
  const client = createRekorClient({ url: 'http://127.0.0.1:9' });

  it.each([
    ['a missing url', () => createRekorClient({} as never)],
    ['a relative url', () => createRekorClient({ url: 'rekor.sigstore.dev' })],
    ['a proposal that is not an object', () => client.createEntry('entry' as never)],
    ['an array proposal', () => client.createEntry([])],
    ['a number index', () => client.getEntryByIndex(3 as never)],
    ['a negative index', () => client.getEntryByIndex(-1n)],
    ['an index above int64', () => client.getEntryByIndex(1n << 63n)],
    ['a short UUID', () => client.getEntryByUuid('abcd')],
    ['a UUID with a path in it', () => client.getEntryByUuid(`../${'a'.repeat(61)}`)],
    ['firstSize 0', () => client.getConsistencyProof(0n, 3n)],
    ['firstSize above lastSize', () => client.getConsistencyProof(4n, 3n)],
    ['a bad tree ID', () => client.getPublicKey(-1n)],
    ['a bad HTTP option', () => createRekorClient({ url: 'http://127.0.0.1:9', timeoutMs: -5 }).getLogInfo()],
  ])('%s', async (_name, call: () => unknown) => {
    await expectRekorError(Promise.resolve().then(call), 'REKOR_CLIENT_INPUT_INVALID');
  });

  it('toTransparencyLogEntry of something else', () => {
    expect(() => toTransparencyLogEntry({} as never)).toThrow(RekorClientError);
  });

  it('toTransparencyLogEntry of an entry whose body is not JSON with a kind', () => {
    const entry = { uuid: '', body: new Uint8Array([1]), integratedTime: 0n, logId: new Uint8Array(32), logIndex: 0n, verification: { signedEntryTimestamp: new Uint8Array(1) } };
    for (const body of [new Uint8Array([0xff]), new TextEncoder().encode('{"kind":1}')]) {
      let err: unknown;
      try {
        toTransparencyLogEntry({ ...entry, body });
      } catch (thrown) {
        err = thrown;
      }
      expect((err as RekorClientError).code).toBe('REKOR_CLIENT_RESPONSE_INVALID');
    }
  });
});
