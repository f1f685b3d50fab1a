import type { ServerResponse } from 'node:http';
import { canonicalJson, derToPem, utf8Encode } from '@sigil/encoding';
import { createTransparencyLog, StackError, toRekorResponse, type TransparencyLog } from '@sigil/stack';
import { localServer, sendRawJson as sendJson, type LocalServer } from '@sigil/stack';

export interface FakeRekor {
  server: LocalServer;
  log: TransparencyLog;
  /** What it was sent, parsed. */
  proposals: unknown[];
}

/**
 * A Rekor v1 API over the stack's in-process log (real SETs, proofs and checkpoints). It
 * logs the canonical JSON of whatever is proposed: enough to test a client, not a validator.
 */
export async function fakeRekor(intercept?: (res: ServerResponse, hit: number) => boolean): Promise<FakeRekor> {
  const log = createTransparencyLog({ host: 'rekor.test', treeId: 1234n });
  const proposals: unknown[] = [];
  const server = await localServer((res, body, hit, req) => {
    if (intercept?.(res, hit)) return;
    const url = new URL(req.url!, 'http://localhost');
    const entryPath = /^\/api\/v1\/log\/entries\/([0-9a-f]+)$/.exec(url.pathname);
    try {
      if (req.method === 'POST' && url.pathname === '/api/v1/log/entries') {
        proposals.push(JSON.parse(body));
        const entry = log.add(utf8Encode(canonicalJson(JSON.parse(body))));
        return sendJson(res, 201, toRekorResponse(entry), { location: `/api/v1/log/entries/${entry.entryId}`, etag: entry.entryId });
      }
      if (url.pathname === '/api/v1/log/entries') return sendJson(res, 200, toRekorResponse(log.entry(BigInt(url.searchParams.get('logIndex')!))));
      if (entryPath) return sendJson(res, 200, toRekorResponse(log.entryByUuid(entryPath[1]!)));
      if (url.pathname === '/api/v1/log') {
        const head = log.treeHead();
        return sendJson(res, 200, { rootHash: hex(head.rootHash), treeSize: Number(head.treeSize), signedTreeHead: head.checkpoint, treeID: String(log.treeId), inactiveShards: [] });
      }
      if (url.pathname === '/api/v1/log/publicKey') {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' });
        return void res.end(derToPem(log.key.spki, 'PUBLIC KEY'));
      }
      if (url.pathname === '/api/v1/log/proof') {
        const [first, last] = [BigInt(url.searchParams.get('firstSize')!), BigInt(url.searchParams.get('lastSize')!)];
        const head = log.treeHead();
        return sendJson(res, 200, { rootHash: hex(head.rootHash), hashes: log.consistencyProof(first, last).map(hex) });
      }
      sendJson(res, 404, { code: 404, message: 'no such endpoint' });
    } catch (err) {
      if (err instanceof StackError && err.code === 'STACK_ENTRY_EXISTS') {
        const entryId = String(err.details?.entryId);
        return sendJson(res, 409, { code: 409, message: `an equivalent entry already exists with UUID ${entryId}` }, { location: `/api/v1/log/entries/${entryId}` });
      }
      if (err instanceof StackError && err.code === 'STACK_ENTRY_NOT_FOUND') return sendJson(res, 404, { code: 404, message: 'entry not found' });
      throw err;
    }
  });
  return { server, log, proposals };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
