import type { IncomingHttpHeaders } from 'node:http';
import { derToPem, typeOf } from '@sigil/encoding';
import type { CertificateAuthority } from '../certificate-authority.js';
import { invalid } from '../checks.js';
import type { CtLog } from '../ct-log.js';
import { stateDirectory } from '../durable-state.js';
import { readJson, sendJson, type Route } from '../http/index.js';
import { loadOrCreateCertificateAuthority, loadOrCreateCtLog } from './durable-ca.js';
import { principalOf } from './principal.js';
import { refuse } from './reasons.js';
import { keyFromCertificationRequest, keyFromPublicKeyRequest } from './subject-key.js';
import { AUDIENCE, createTokenVerifier, type FulcioIssuer } from './token-verifier.js';

export interface FulcioServiceOptions {
  /** State directory: CA keys and certificates (and the CT log key when `ctLog` is not given). */
  dir: string;
  /** The OIDC issuers it trusts, each with the type that maps its tokens to certificates. */
  issuers: readonly FulcioIssuer[];
  /** The CT log that signs the embedded SCTs; default one whose key is kept in `dir` (`ctlog-key.pem`). */
  ctLog?: CtLog;
  /** How it fetches discovery documents and JWKS; default the global fetch. */
  fetch?: typeof fetch;
  /** Allowed clock skew on a token's exp and nbf; default 30 seconds. */
  clockToleranceSeconds?: number;
}

export interface FulcioService {
  readonly routes: Route[];
  /** The CA: `root`, `intermediate`, `chain` (intermediate, root) as DER, for the trusted root. */
  readonly ca: CertificateAuthority;
  readonly ctLog: CtLog;
  readonly issuers: readonly FulcioIssuer[];
}

const ISSUER_TYPES = ['gitlab', 'github', 'email'];
// A token, a key and a proof: a few KiB; a 4096-bit RSA CSR stays well under this.
const REQUEST_LIMIT = 64 * 1024;

/**
 * Fulcio API v2 for the local stack: `POST /api/v2/signingCert` (public key with proof of
 * possession, or CSR) issues a ten-minute leaf with the token's identity and an embedded SCT;
 * `GET /api/v2/trustBundle`; `GET /api/v2/configuration`. Refusals carry a `reason`
 * (FulcioReason) and a message that names the cause.
 */
export function createFulcioService(options: FulcioServiceOptions): FulcioService {
  const issuers = checkIssuers(options?.issuers);
  const path = stateDirectory(options.dir);
  const ca = loadOrCreateCertificateAuthority(path);
  const ctLog = options.ctLog ?? loadOrCreateCtLog(path);
  const skew = options.clockToleranceSeconds ?? 30;
  if (!Number.isSafeInteger(skew) || skew < 0) invalid(`clockToleranceSeconds: expected a non-negative integer, found ${String(skew)}`);
  const verifyToken = createTokenVerifier({ issuers, fetch: options.fetch ?? globalThis.fetch, clockToleranceSeconds: skew });
  const chainPem = (leaf: Uint8Array) => [leaf, ...ca.chain].map((der) => derToPem(der, 'CERTIFICATE'));

  const routes: Route[] = [
    {
      method: 'POST',
      path: /^\/api\/v2\/signingCert$/,
      async handle({ req, res }) {
        const body = await readJson(req, REQUEST_LIMIT);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) refuse('FULCIO_REQUEST_INVALID', `request: expected a JSON object, found ${typeOf(body)}`);
        const { credentials, publicKeyRequest, certificateSigningRequest } = body as Record<string, unknown>;
        if ((publicKeyRequest === undefined) === (certificateSigningRequest === undefined)) {
          refuse('FULCIO_REQUEST_INVALID', `request: expected exactly one of publicKeyRequest and certificateSigningRequest, found ${publicKeyRequest === undefined ? 'neither' : 'both'}`);
        }
        const { claims, issuer } = await verifyToken(tokenOf(credentials, req.headers));
        const principal = principalOf(claims, issuer);
        const key = publicKeyRequest !== undefined ? keyFromPublicKeyRequest(publicKeyRequest, principal) : keyFromCertificationRequest(certificateSigningRequest);
        const { san, issuer: oidcIssuer, extensions } = principal.identity;
        const leaf = ca.issueLeaf({ publicKey: key.spki, san, issuer: oidcIssuer, extensions, ctLogs: [ctLog] });
        sendJson(res, 201, { signedCertificateEmbeddedSct: { chain: { certificates: chainPem(leaf) } } });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/trustBundle$/,
      handle: ({ res }) => sendJson(res, 200, { chains: [{ certificates: ca.chain.map((der) => derToPem(der, 'CERTIFICATE')) }] }),
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/configuration$/,
      handle: ({ res }) =>
        sendJson(res, 200, {
          issuers: issuers.map((issuer) => ({
            issuerUrl: issuer.url,
            audience: AUDIENCE,
            challengeClaim: issuer.type === 'email' ? 'email' : 'sub',
            issuerType: issuer.type === 'email' ? 'email' : 'ci-provider',
          })),
        }),
    },
  ];
  return { routes, ca, ctLog, issuers };
}

/** The body's `credentials.oidcIdentityToken`, else `Authorization: Bearer` (sigstore-go sends it there). */
function tokenOf(credentials: unknown, headers: IncomingHttpHeaders): string {
  if (credentials !== undefined && (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials))) {
    refuse('FULCIO_REQUEST_INVALID', `credentials: expected an object {oidcIdentityToken}, found ${typeOf(credentials)}`);
  }
  const inBody = (credentials as { oidcIdentityToken?: unknown } | undefined)?.oidcIdentityToken;
  if (inBody !== undefined && typeof inBody !== 'string') refuse('FULCIO_REQUEST_INVALID', `credentials.oidcIdentityToken: expected a string, found ${typeOf(inBody)}`);
  if (inBody) return inBody;
  const bearer = /^Bearer +(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  refuse('FULCIO_TOKEN_MISSING', 'request: expected an identity token in credentials.oidcIdentityToken or an Authorization: Bearer header, found none');
}

function checkIssuers(value: unknown): FulcioIssuer[] {
  if (!Array.isArray(value) || value.length === 0) invalid(`Fulcio issuers: expected a non-empty array of {url, type}, found ${typeOf(value)}`);
  const seen = new Set<string>();
  return value.map((issuer: FulcioIssuer, i) => {
    const { url, type, templateUrl } = issuer ?? ({} as FulcioIssuer);
    if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url)) invalid(`Fulcio issuers[${i}].url: expected an http(s) URL, found ${typeOf(url)}`);
    if (!ISSUER_TYPES.includes(type)) invalid(`Fulcio issuers[${i}].type: expected one of ${ISSUER_TYPES.join(', ')}, found ${JSON.stringify(type)}`);
    if (templateUrl !== undefined && (typeof templateUrl !== 'string' || templateUrl === '')) invalid(`Fulcio issuers[${i}].templateUrl: expected a non-empty string`);
    if (seen.has(url)) invalid(`Fulcio issuers[${i}].url: "${url}" is listed twice`);
    seen.add(url);
    return { url, type, ...(templateUrl === undefined ? {} : { templateUrl }) };
  });
}
