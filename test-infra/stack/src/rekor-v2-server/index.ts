// The local Rekor v2 log (rekor-tiles' API over a tile directory): its routes for the stack's
// router, over a durable log kept in one state directory.
import type { Route } from '../http/index.js';
import { createCertificateTrust, type TrustedCas } from '../rekor-server/certificate-trust.js';
import { invalidOption, prepareService, startChecksOrClose } from '../rekor-server/service-setup.js';
import { createEntryRequestChecker } from './entry-requests.js';
import { loadLogKeyV2 } from './log-key.js';
import { rekorV2Routes } from './routes.js';
import { openTileLog } from './tile-log.js';

export interface RekorV2ServiceOptions {
  /** State directory: log-key.pem (Ed25519, 0600), log.json, entries.log and tiles/. */
  dir: string;
  /** The log's host name: checkpoint origin and key name (rekor-tiles' --hostname), e.g. 127.0.0.1. */
  hostname: string;
  /** Where the API is mounted on the server ('' by default). */
  basePath?: string;
  trustedCas?: TrustedCas;
  maxBodyBytes?: number;
  signatureThreads?: number;
}

export interface RekorV2Service {
  routes: Route[];
  /** DER SPKI of the Ed25519 log key. */
  spki: Uint8Array;
  /** The checkpoint key hash, Rekor v2's log ID (the trusted root's logId and checkpointKeyId). */
  logId: Uint8Array;
  origin: string;
  /** The tile directory: serve it at <log URL>/api/v2/ with any static file server. */
  tileDir: string;
  readonly size: number;
  recovered: { entries: number; droppedBytes: number };
  close(): Promise<void>;
}


export async function createRekorV2Service(options: RekorV2ServiceOptions): Promise<RekorV2Service> {
  const { dir, trustedCas, maxBodyBytes, signatureThreads } = prepareService(options);
  const { hostname, basePath = '' } = options;
  if (typeof hostname !== 'string' || !/^[^\s+/:]{1,253}$/.test(hostname)) invalidOption(`hostname: expected a host name without port, spaces or "+", found ${String(hostname).slice(0, 60)}`);
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._-]+)*$/.test(basePath)) invalidOption(`basePath: expected "" or "/segment...", found ${String(basePath).slice(0, 60)}`);
  const key = loadLogKeyV2(dir, hostname);
  const { log, droppedBytes } = await openTileLog({ dir, key });
  const checks = await startChecksOrClose(signatureThreads, () => log.close());
  return {
    routes: rekorV2Routes({ log, logId: key.logId, bodyLimit: maxBodyBytes, basePath, checkRequest: createEntryRequestChecker(trustedCas && createCertificateTrust(trustedCas), checks) }),
    spki: key.spki,
    logId: key.logId,
    origin: key.origin,
    tileDir: log.tileDir,
    get size() {
      return log.size;
    },
    recovered: { entries: log.size, droppedBytes },
    async close() {
      await log.close();
      await checks.close();
    },
  };
}
