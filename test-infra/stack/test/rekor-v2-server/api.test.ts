// The Rekor v2 log's API as rekor-tiles answers it, and what it refuses: requests checked as
// rekor-tiles checks them, duplicates, tile names, the tile directory a static server serves, and
// damaged state (a repeated body in entries.log, a log.json that is not an object).
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64 } from '@sigil/encoding';
import { createCertificateAuthority } from '../../src/index.js';
import { createRouter, serve, type RunningServer } from '../../src/http/index.js';
import { recordCodec } from '../../src/rekor-server/entry-record.js';
import { RekorServiceError } from '../../src/rekor-server/index.js';
import { createRekorV2Service, type RekorV2Service } from '../../src/rekor-v2-server/index.js';
import { loadLogKeyV2 } from '../../src/rekor-v2-server/log-key.js';
import { createEntrySigner } from '../rekor-server/support/entries.js';
import { temporaryDir } from '../rekor-server/support/rekor.js';

const ca = createCertificateAuthority();
const signer = createEntrySigner(ca);
let service: RekorV2Service;
let server: RunningServer;

beforeAll(async () => {
  service = await createRekorV2Service({ dir: temporaryDir(), hostname: '127.0.0.1', basePath: '/log', trustedCas: () => [ca.chain.slice()], signatureThreads: 0 });
  server = await serve(createRouter(service.routes));
});
afterAll(async () => {
  await server?.close();
  await service?.close();
});

const post = async (body: unknown) => {
  const res = await fetch(`${server.url}/log/api/v2/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
};

describe('POST /api/v2/log/entries', () => {
  it('answers a TransparencyLogEntry with proof and checkpoint, and 409 with x-log-index for the same entry again', async () => {
    const { request } = signer.hashedRekordV2();
    const first = await post(request);
    expect(first.status).toBe(201);
    expect(Object.keys(first.json)).toEqual(['logIndex', 'logId', 'kindVersion', 'inclusionProof', 'canonicalizedBody']);
    expect(first.json.logId.keyId).toBe(encodeBase64(service.logId));
    expect(first.json.inclusionProof.checkpoint.envelope).toMatch(/^127\.0\.0\.1\n\d+\n[A-Za-z0-9+/=]{44}\n\n\u2014 127\.0\.0\.1 /);
    const again = await post(request);
    expect(again.status).toBe(409);
    expect(again.headers.get('x-log-index')).toBe(first.json.logIndex);
  });

  it('refuses what rekor-tiles refuses, naming the check', async () => {
    const good = signer.hashedRekordV2().request as any;
    const variant = (change: (r: any) => void) => {
      const copy = structuredClone(good);
      change(copy.hashedRekordRequestV002);
      return copy;
    };
    const other = createEntrySigner(createCertificateAuthority());
    const cases: [unknown, string, RegExp][] = [
      [{}, 'REKOR_KIND_UNSUPPORTED', /expected one of hashedRekordRequestV002/],
      [{ hashedRekordRequestV002: {}, dsseRequestV002: {} }, 'REKOR_KIND_UNSUPPORTED', /found hashedRekordRequestV002, dsseRequestV002/],
      [variant((r) => (r.digest = encodeBase64(new Uint8Array(20)))), 'REKOR_ENTRY_MALFORMED', /expected 32 bytes/],
      [variant((r) => (r.signature.content = encodeBase64(new Uint8Array(70).fill(1)))), 'REKOR_SIGNATURE_INVALID', /does not verify/],
      [variant((r) => (r.signature.verifier.keyDetails = 'PKIX_ECDSA_P384_SHA_384')), 'REKOR_KEY_UNSUPPORTED', /does not match the key given, an ECDSA P-256 key/],
      [variant((r) => (r.signature.verifier.keyDetails = 'PKIX_NOT_A_THING')), 'REKOR_KEY_UNSUPPORTED', /keyDetails: expected one of/],
      [variant((r) => (r.signature.verifier = { keyDetails: 'PKIX_ED25519', publicKey: { rawBytes: encodeBase64(generateEd25519Spki()) } })), 'REKOR_KEY_UNSUPPORTED', /signs whole messages/],
      [other.hashedRekordV2().request, 'REKOR_CERTIFICATE_UNTRUSTED', /trusted CA/],
    ];
    for (const [body, reason, message] of cases) {
      const { status, json } = await post(body);
      expect([status, json.reason], JSON.stringify(json)).toEqual([400, reason]);
      expect(json.message).toMatch(message);
    }
  });

  it('takes dsse 0.0.2 requests, checking each signature over the PAE', async () => {
    const { request } = signer.dsseV2();
    expect((await post(request)).json.kindVersion).toEqual({ kind: 'dsse', version: '0.0.2' });
    const bad = structuredClone(signer.dsseV2().request) as any;
    bad.dsseRequestV002.envelope.payload = encodeBase64(new TextEncoder().encode('{"other":1}'));
    const refused = await post(bad);
    expect([refused.status, refused.json.reason]).toEqual([400, 'REKOR_SIGNATURE_INVALID']);
  });
});

describe('a tile directory that cannot be written', () => {
  it('stops the log: the append is not acknowledged (503), nor any after it', async () => {
    const dir = temporaryDir();
    const broken = await createRekorV2Service({ dir, hostname: '127.0.0.1', trustedCas: () => [ca.chain.slice()], signatureThreads: 0 });
    const brokenServer = await serve(createRouter(broken.routes));
    try {
      const send = async () => (await fetch(`${brokenServer.url}/api/v2/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signer.hashedRekordV2().request) })).json() as Promise<any>;
      expect((await send()).logIndex).toBe('0');
      // Where the next partial tile goes is now a file: writing it fails (as a full disk would).
      const partials = join(broken.tileDir, 'tile/0/000.p');
      rmSync(partials, { recursive: true });
      writeFileSync(partials, 'not a directory');
      for (let i = 0; i < 2; i++) expect(await send()).toMatchObject({ code: 503, reason: 'REKOR_LOG_UNAVAILABLE' });
      expect(broken.size).toBe(1);
    } finally {
      await brokenServer.close();
      await broken.close();
    }
  });
});

describe('a start on a damaged state directory', () => {
  it('refuses an entries file that repeats a body, rather than the body pointing at its later index', async () => {
    const dir = temporaryDir();
    const first = await createRekorV2Service({ dir, hostname: '127.0.0.1', signatureThreads: 0 });
    const firstServer = await serve(createRouter(first.routes));
    const logged = await fetch(`${firstServer.url}/api/v2/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signer.hashedRekordV2().request) });
    expect(logged.status).toBe(201);
    await firstServer.close();
    await first.close();
    const path = join(dir, 'entries.log');
    const original = readFileSync(path);
    const { record } = recordCodec.decode(original, 16)!;
    writeFileSync(path, Buffer.concat([original, recordCodec.encode({ ...record, logIndex: 1n })]));
    const refused = await createRekorV2Service({ dir, hostname: '127.0.0.1', signatureThreads: 0 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RekorServiceError);
    expect(refused).toMatchObject({ code: 'STACK_REKOR_STORAGE_CORRUPT', message: expect.stringMatching(/entry 1 repeats the body of entry 0/) });
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a log.json that is not an object with the storage error, not a TypeError', () => {
    const dir = temporaryDir();
    writeFileSync(join(dir, 'log.json'), 'null');
    expect(() => loadLogKeyV2(dir, '127.0.0.1')).toThrow(expect.objectContaining({ code: 'STACK_REKOR_STORAGE_CORRUPT', message: expect.stringMatching(/log\.json: unreadable log state \(expected a JSON object\)/) }));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the read API and the tile directory', () => {
  it('serves the checkpoint and tiles from files a static server could serve, and refuses other names', async () => {
    const checkpoint = await fetch(`${server.url}/log/api/v2/checkpoint`);
    expect(checkpoint.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await checkpoint.text()).toBe(readFileSync(join(service.tileDir, 'checkpoint'), 'utf8'));
    const size = service.size;
    const tile = await fetch(`${server.url}/log/api/v2/tile/0/000.p/${size}`);
    expect(tile.status).toBe(200);
    expect(Buffer.from(await tile.arrayBuffer())).toEqual(readFileSync(join(service.tileDir, 'tile/0/000.p', String(size))));
    const bundle = await fetch(`${server.url}/log/api/v2/tile/entries/000.p/${size}`);
    expect(bundle.status).toBe(200);
    for (const name of ['0/000.p/256', '0/x000/000', '64/000', '0/../checkpoint', 'entries/000.p/0']) {
      expect(await statusOf(`/log/api/v2/tile/${name}`), name).toBe(400);
    }
    expect((await fetch(`${server.url}/log/api/v2/tile/0/001`)).status).toBe(404);
  });
});

/** The status for a path sent as written: fetch would resolve "..", node:http sends it as it is. */
function statusOf(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(server.url, { path }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject).end();
  });
}

function generateEd25519Spki(): Uint8Array {
  // It only needs to parse: Rekor v2 refuses Ed25519 for hashedrekord before any signature check.
  return new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }));
}
