// Rekor v2's HTTP API (sigstore/rekor-tiles docs/openapi rekor_service.swagger.json): the write
// endpoint answers a TransparencyLogEntry in protobuf JSON (inclusion proof and checkpoint, no
// SET); the read endpoints serve the tile directory's files as a static server would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64 } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { HttpError, sendBytes, sendJson, type Route } from '../http/index.js';
import { RekorServiceError } from '../rekor-server/errors.js';
import { refusal } from '../rekor-server/reasons.js';
import { readBody } from '../rekor-server/routes.js';
import type { EntryRequestChecker } from './entry-requests.js';
import { MAX_ENTRY_BYTES } from './tile-directory.js';
import type { AppendOutcome, TileLog } from './tile-log.js';
import { TILE_WIDTH, parseTilePath, tilePath } from './tile-paths.js';

export interface RekorV2RouteContext {
  log: TileLog;
  logId: Uint8Array;
  bodyLimit: number;
  checkRequest: EntryRequestChecker;
  /** Where the API is mounted ('' or e.g. '/rekor-v2'). */
  basePath: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function rekorV2Routes({ log, logId, bodyLimit, checkRequest, basePath }: RekorV2RouteContext): Route[] {
  const prefix = basePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [
    {
      method: 'POST',
      path: new RegExp(`^${prefix}/api/v2/log/entries$`),
      async handle({ req, res }) {
        const { kind, body } = await checkRequest(await readBody(req, bodyLimit));
        if (body.length > MAX_ENTRY_BYTES) throw refusal('REKOR_ENTRY_MALFORMED', `entry: expected a canonical body of at most ${MAX_ENTRY_BYTES} bytes (tlog-tiles entry bundles), found ${body.length}`);
        const added = await append(log, body);
        if (added.outcome === 'duplicate') {
          throw refusal('REKOR_ENTRY_EXISTS', `an equivalent entry already exists in the transparency log with index ${added.logIndex}`, { 'x-log-index': String(added.logIndex) });
        }
        const { logIndex, head } = added;
        sendJson(res, 201, {
          logIndex: String(logIndex),
          logId: { keyId: encodeBase64(logId) },
          kindVersion: { kind, version: '0.0.2' },
          inclusionProof: {
            logIndex: String(logIndex),
            rootHash: encodeBase64(head.rootHash),
            treeSize: String(head.treeSize),
            hashes: log.inclusionProof(logIndex, head.treeSize).map(encodeBase64),
            checkpoint: { envelope: head.checkpoint },
          },
          canonicalizedBody: encodeBase64(body),
        });
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${prefix}/api/v2/checkpoint$`),
      handle({ res }) {
        res.setHeader('cache-control', 'no-cache');
        sendBytes(res, 200, 'text/plain; charset=utf-8', log.head().checkpoint);
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${prefix}/api/v2/tile/(?<tile>.+)$`),
      async handle({ res, params }) {
        const name = parseTilePath(params.tile!);
        if (!name) throw new HttpError(400, `tile: expected <L>/<N>[.p/<W>] or entries/<N>[.p/<W>] (c2sp.org/tlog-tiles), found "${params.tile!.slice(0, 80)}"`);
        let bytes: Buffer;
        try {
          bytes = await readFile(join(log.tileDir, tilePath(name.level, name.index, name.width)));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new HttpError(404, `tile ${params.tile}: not in the log (or a partial tile superseded by the full one)`);
          throw err;
        }
        res.setHeader('cache-control', name.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=3600');
        sendBytes(res, 200, 'application/octet-stream', bytes);
      },
    },
  ];
}

async function append(log: TileLog, body: Uint8Array): Promise<AppendOutcome> {
  try {
    return await log.append(body);
  } catch (err) {
    if (err instanceof RekorServiceError) throw refusal('REKOR_LOG_UNAVAILABLE', `log: not accepting entries (${describeError(err)})`);
    throw err;
  }
}
