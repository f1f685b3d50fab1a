import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { serializeSigningConfig, serializeTrustedRoot } from '@sigil/bundle';
import { createRouter, serve, type RunningServer } from '../http/index.js';
import { createFulcioService } from '../fulcio-server/index.js';
import { createOidcIssuer, type MintOptions } from '../oidc-server/index.js';
import { createRekorService } from '../rekor-server/index.js';
import { createRekorV2Service } from '../rekor-v2-server/index.js';
import { createTimestampAuthority } from '../tsa-server/index.js';
import { buildTrustedRoot } from '../trusted-root.js';
import { buildSigningConfig, type StackUrls } from './signing-config.js';
import { readJsonIfPresent, writeJsonAtomic } from './state-files.js';

export interface StackOptions {
  /** The state directory: keys, CA, log and the JSON files clients need. Reused by a later start. */
  dir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: the port of the previous start on this dir, else a free one. */
  port?: number;
}

/** stack.json: what a client needs to sign against, and verify with, this instance. */
export interface StackDescription extends StackUrls {
  trustedRoot: string;
  signingConfig: string;
  /** A signing config v0.2 selecting the Rekor v2 log (and the TSA its entries need). */
  signingConfigRekorV2: string;
}

export interface Stack extends StackDescription {
  dir: string;
  /** A token from the stack's OIDC issuer (GitLab-like unless told otherwise). */
  mintToken(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

/** Where the Rekor v2 log's API is mounted: its URL is distinct from the v1 log's. */
const REKOR_V2_PATH = '/rekor-v2';

// The trusted root's validity starts here: every key of a state dir is created after it.
const VALID_FROM = new Date('2020-01-01T00:00:00Z');

/**
 * Starts the local Sigstore instance: OIDC issuer, Fulcio, Rekor and a TSA behind one HTTP
 * server on loopback, with their state under `dir`. Writes trusted_root.json,
 * signing_config.json and stack.json there.
 */
export async function createStack(options: StackOptions): Promise<Stack> {
  const { dir } = options;
  const previous = readJsonIfPresent<StackDescription>(join(dir, 'stack.json'));
  let route = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503).end();
  };
  let closeLogs = async () => {};
  const server = await listen((req, res) => route(req, res), options.host ?? '127.0.0.1', options.port ?? portOf(previous));
  try {
    const base = server.url;
    const urls: StackUrls = { oidcIssuer: `${base}/oidc`, fulcioURL: base, rekorURL: base, tsaURL: `${base}/api/v1/timestamp`, rekorV2URL: `${base}${REKOR_V2_PATH}` };
    const oidc = createOidcIssuer({ dir: join(dir, 'oidc'), issuerUrl: urls.oidcIssuer });
    const tsa = createTimestampAuthority({ dir: join(dir, 'tsa') });
    const fulcio = createFulcioService({ dir: join(dir, 'fulcio'), issuers: [{ url: urls.oidcIssuer, type: 'gitlab' }] });
    const rekor = await createRekorService({ dir: join(dir, 'rekor'), host: new URL(base).host, trustedCas: () => [fulcio.ca.chain.slice()] });
    closeLogs = () => rekor.close();
    const rekorV2 = await createRekorV2Service({
      dir: join(dir, 'rekor-v2'),
      hostname: new URL(base).hostname,
      basePath: REKOR_V2_PATH,
      trustedCas: () => [fulcio.ca.chain.slice()],
    });
    closeLogs = async () => {
      await rekor.close();
      await rekorV2.close();
    };
    route = createRouter([...oidc.routes, ...fulcio.routes, ...rekor.routes, ...rekorV2.routes, ...tsa.routes]);

    const trustedRoot = buildTrustedRoot({
      ca: fulcio.ca,
      caUrl: urls.fulcioURL,
      tlogs: [
        { baseUrl: urls.rekorURL, spki: rekor.logKey.spki, logId: rekor.logKey.keyId },
        { baseUrl: urls.rekorV2URL, spki: rekorV2.spki, logId: rekorV2.logId, keyDetails: 'PKIX_ED25519' },
      ],
      ctlogs: [{ baseUrl: `${base}/ct`, spki: fulcio.ctLog.key.spki, logId: fulcio.ctLog.logId }],
      timestampAuthorities: [{ uri: urls.tsaURL, certChain: tsa.certChain }],
      validFrom: VALID_FROM,
    });
    const description: StackDescription = {
      ...urls,
      trustedRoot: join(dir, 'trusted_root.json'),
      signingConfig: join(dir, 'signing_config.json'),
      signingConfigRekorV2: join(dir, 'signing_config_rekor_v2.json'),
    };
    writeJsonAtomic(description.trustedRoot, serializeTrustedRoot(trustedRoot));
    writeJsonAtomic(description.signingConfig, serializeSigningConfig(buildSigningConfig(urls, VALID_FROM)));
    writeJsonAtomic(description.signingConfigRekorV2, serializeSigningConfig(buildSigningConfig(urls, VALID_FROM, 2)));
    writeJsonAtomic(join(dir, 'stack.json'), description);
    return {
      ...description,
      dir,
      mintToken: async (mint) => oidc.mint(mint),
      close: async () => {
        await server.close();
        await closeLogs();
      },
    };
  } catch (err) {
    await server.close();
    await closeLogs();
    throw err;
  }
}

function portOf(previous: StackDescription | undefined): number {
  if (!previous) return 0;
  const port = Number(new URL(previous.fulcioURL).port);
  return Number.isInteger(port) && port > 0 ? port : 0;
}

/** Listens on the remembered port, or on a free one when it is taken. */
async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<RunningServer> {
  try {
    return await serve(listener, { host, port });
  } catch (err) {
    if (port !== 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') return serve(listener, { host, port: 0 });
    throw err;
  }
}
