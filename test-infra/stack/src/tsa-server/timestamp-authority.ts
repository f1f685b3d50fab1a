import { derToPem } from '@sigil/encoding';
import { wholeSeconds } from '../checks.js';
import { stateDirectory } from '../durable-state.js';
import { readBody, sendBytes, type Route } from '../http/index.js';
import { refuse } from './reasons.js';
import { parseDerRequest, parseJsonRequest } from './timestamp-request.js';
import { timestampResponse } from './timestamp-response.js';
import { loadOrCreateTsaCertificates } from './tsa-certificates.js';

export interface TimestampAuthorityOptions {
  /** State directory: root and leaf keys (PKCS#8, mode 0600) and certificates. */
  dir: string;
}

export interface TimestampAuthority {
  readonly routes: Route[];
  /** DER, the signing leaf first, the root last: a trusted root's `timestampAuthorities[].certChain`. */
  readonly certChain: readonly Uint8Array[];
  /** The TSTInfo policy of every token (Sigstore's TSA default). */
  readonly policy: string;
}

export const TSA_POLICY = '1.3.6.1.4.1.57264.2';
// A TimeStampReq is about a hundred bytes; sigstore-js's JSON less.
const REQUEST_LIMIT = 4096;

/**
 * An RFC 3161 timestamp authority, Sigstore's API: `POST /api/v1/timestamp` with a DER
 * `application/timestamp-query` or sigstore-js's JSON, answered with a DER
 * `application/timestamp-reply`; `GET /api/v1/timestamp/certchain` gives the chain as PEM.
 * Refusals are JSON with a `reason` (TsaReason).
 */
export function createTimestampAuthority(options: TimestampAuthorityOptions): TimestampAuthority {
  const signer = loadOrCreateTsaCertificates(stateDirectory(options?.dir));
  const certChain = [signer.leaf, signer.root];
  const routes: Route[] = [
    {
      method: 'POST',
      path: /^\/api\/v1\/timestamp$/,
      async handle({ req, res }) {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/timestamp-query' && type !== 'application/json') {
          refuse('TSA_CONTENT_TYPE_UNSUPPORTED', `content type: expected application/timestamp-query or application/json, found ${type || 'none'}`);
        }
        const body = new Uint8Array(await readBody(req, REQUEST_LIMIT));
        const request = type === 'application/json' ? parseJsonRequest(Buffer.from(body).toString('utf8'), TSA_POLICY) : parseDerRequest(body, TSA_POLICY);
        sendBytes(res, 200, 'application/timestamp-reply', timestampResponse({ request, signer, policy: TSA_POLICY, time: wholeSeconds(new Date()) }));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/timestamp\/certchain$/,
      handle: ({ res }) => sendBytes(res, 200, 'application/pem-certificate-chain', certChain.map((der) => derToPem(der, 'CERTIFICATE')).join('')),
    },
  ];
  return { routes, certChain, policy: TSA_POLICY };
}
