import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPEN_GATE, basicGate, bearerGate, type AuthGate, type RegistryAuth } from './auth.js';
import { deleteBlob, getBlob } from './blobs.js';
import type { RequestContext } from './context.js';
import { DistributionError } from './distribution-error.js';
import { parseEndpoint, type RepositoryEndpoint } from './endpoints.js';
import { deleteManifest, getManifest, putManifest } from './manifests.js';
import { listReferrers } from './referrers.js';
import { sendError, sendJson, sendNoRoute } from './respond.js';
import { RegistryStorage } from './storage.js';
import { listTags } from './tags.js';
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from './uploads.js';
import { RegistryTestError } from '../errors.js';
import { checkLoopbackHost, checkOptionalBoolean, checkOptionalInteger, checkOptionalObject, checkString } from '../options.js';

export interface OciRegistryOptions {
  /** Only the loopback address: the registry is for tests. */
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  auth?: RegistryAuth;
  /** true (default): /referrers/ answers and manifests with a subject get OCI-Subject. false: both as registry 2.8 (404, no header). */
  referrersApi?: boolean;
  /** The most any request body, or any blob, may hold (413 beyond). Default 32 MiB. */
  maxBodyBytes?: number;
}

export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The query with its '?', or ''. */
  query: string;
  /** The status answered; 0 until the answer is sent. */
  status: number;
}

export interface OciRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, as in image references. */
  host: string;
  /** Every request in arrival order; tests may read or empty it. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

type Handler<K extends RepositoryEndpoint['kind']> = (context: RequestContext<K>) => void | Promise<void>;
type HandlerTable = { [K in RepositoryEndpoint['kind']]: Partial<Record<string, Handler<K>>> };

const HANDLERS: HandlerTable = {
  blob: { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob },
  uploads: { POST: startUpload },
  upload: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
  manifest: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: deleteManifest },
  referrers: { GET: listReferrers },
  tags: { GET: listTags },
};

/** An OCI distribution (v1.1) server in memory on 127.0.0.1, with the referrers API that registry 2.8 lacks. */
export async function startOciRegistry(options: OciRegistryOptions = {}): Promise<OciRegistry> {
  const settings = readOptions(options);
  const storage = new RegistryStorage();
  const requests: RecordedRequest[] = [];
  let url = '';
  const gate: AuthGate = !settings.auth ? OPEN_GATE : settings.auth.kind === 'basic' ? basicGate(settings.auth) : bearerGate(settings.auth, () => url);

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', query: '', status: 0 };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    try {
      const requestUrl = parseRequestUrl(req.url);
      record.path = requestUrl.pathname;
      record.query = requestUrl.search;
      if (requestUrl.pathname === '/token' && settings.auth?.kind === 'bearer' && req.method === 'GET') {
        gate.issueToken(req, res, requestUrl);
        return;
      }
      const endpoint = parseEndpoint(requestUrl.pathname);
      if (!endpoint || (endpoint.kind === 'referrers' && !settings.referrersApi)) {
        sendNoRoute(req, res);
        return;
      }
      const method = req.method ?? '';
      const readOnly = method === 'GET' || method === 'HEAD';
      if (endpoint.kind === 'base') {
        if (!readOnly) throw notAllowed(endpoint.kind, method, ['GET', 'HEAD']);
        gate.authorize(req, undefined, 'pull');
        sendJson(req, res, 200, {});
        return;
      }
      const table = HANDLERS[endpoint.kind] as Partial<Record<string, Handler<typeof endpoint.kind>>>;
      const handler = Object.hasOwn(table, method) ? table[method] : undefined;
      if (!handler) throw notAllowed(endpoint.kind, method, Object.keys(table));
      gate.authorize(req, endpoint.name, readOnly ? 'pull' : 'push');
      await handler({ req, res, url: requestUrl, endpoint, storage, referrersApi: settings.referrersApi, maxBodyBytes: settings.maxBodyBytes });
    } catch (err) {
      try {
        sendError(req, res, err);
      } catch {
        res.destroy(); // nothing more can be said on this connection; the server goes on
      }
    }
  };

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new RegistryTestError('REGISTRY_START_FAILED', `OCI test registry: cannot listen on ${settings.host}:${settings.port}: ${err.message}`, { cause: err })),
    );
    server.listen(settings.port, settings.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${settings.host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    host: `${settings.host}:${port}`,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readOptions(options: OciRegistryOptions) {
  checkOptionalObject(options, 'options');
  const auth = options.auth;
  if (auth !== undefined) {
    checkOptionalObject(auth, 'options.auth');
    if (auth.kind !== 'basic' && auth.kind !== 'bearer') {
      throw new RegistryTestError('REGISTRY_INPUT_INVALID', `options.auth.kind: expected 'basic' or 'bearer', found ${JSON.stringify(auth.kind)}`);
    }
    checkString(auth.username, 'options.auth.username', { nonEmpty: true, noColon: true });
    checkString(auth.password, 'options.auth.password', { secret: true });
  }
  return {
    host: checkLoopbackHost(options.host),
    port: checkOptionalInteger(options.port, 'options.port', 0, 65535) ?? 0,
    auth,
    referrersApi: checkOptionalBoolean(options.referrersApi, 'options.referrersApi') ?? true,
    maxBodyBytes: checkOptionalInteger(options.maxBodyBytes, 'options.maxBodyBytes', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_MAX_BODY_BYTES,
  };
}

function parseRequestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://registry.invalid');
  } catch {
    throw new DistributionError(400, 'UNSUPPORTED', 'request target: not a valid path');
  }
}

function notAllowed(kind: string, method: string, allowed: string[]): DistributionError {
  return new DistributionError(405, 'UNSUPPORTED', `${kind}: method ${JSON.stringify(method)} not allowed`, { allow: allowed.join(', ') });
}
