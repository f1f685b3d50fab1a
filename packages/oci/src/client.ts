import type { HttpOptions } from '@sigil/http-client';
import { Authenticator } from './auth/authenticator.js';
import type { CredentialResolver, RegistryCredentials } from './credentials/credentials.js';
import type { Descriptor } from './descriptor.js';
import { OciError } from './errors.js';
import { blobExists, getBlob, pushBlob, type PushBlobOptions } from './operations/blobs.js';
import { toReference, type ClientContext, type ImageTarget } from './operations/context.js';
import { getManifest, putManifest, resolveDigest, type Manifest, type PutManifestResult } from './operations/manifests.js';
import { listReferrers, pushReferrer, type ListReferrersOptions, type Referrers, type ReferrersVia } from './operations/referrers.js';
import { listTags } from './operations/tags.js';
import { shown } from './shown.js';
import { Transport } from './transport/transport.js';

export interface RegistryClientOptions {
  /** A resolver per registry (see createCredentialResolver), or one user name and password for every registry; default anonymous. */
  credentials?: CredentialResolver | RegistryCredentials;
  /** A bearer token sent as it is to every registry instead of credentials (cosign's --registry-token). */
  registryToken?: string;
  /** Plain http for loopback registries (127.0.0.0/8, ::1, localhost); https everywhere else regardless. */
  allowInsecure?: boolean;
  /** Timeouts and retries (on 5xx, 429, network errors), as @sigil/http-client; maxResponseBytes is set per request. */
  http?: Omit<HttpOptions, 'maxResponseBytes'>;
  /** The largest manifest, index or listing read or written; default 4 MiB. */
  maxManifestBytes?: number;
  /** The largest blob getBlob reads into memory; default 64 MiB. */
  maxBlobBytes?: number;
  userAgent?: string;
}

/** A tighter bound for one read: a descriptor's `size`, or a cap for what is read. */
export interface ReadLimits {
  maxBytes?: number;
}

export const CLIENT_DEFAULTS = {
  maxManifestBytes: 4 * 1024 * 1024,
  maxBlobBytes: 64 * 1024 * 1024,
  userAgent: 'sigil-oci',
} as const;

/** An OCI distribution client. Image arguments are references or their text (`registry/repo:tag`, `...@sha256:...`). */
export interface RegistryClient {
  /** The manifest's descriptor (HEAD, or GET when the HEAD says too little); a digest in the reference is checked. */
  resolveDigest(image: ImageTarget): Promise<Descriptor>;
  /** The manifest bytes and JSON; `accept` narrows the media types (default OCI and Docker manifests and indexes). */
  getManifest(image: ImageTarget, accept?: readonly string[], limits?: ReadLimits): Promise<Manifest>;
  putManifest(repository: ImageTarget, tagOrDigest: string, bytes: Uint8Array, mediaType: string): Promise<PutManifestResult>;
  blobExists(repository: ImageTarget, digest: string): Promise<boolean>;
  /** Up to maxBlobBytes, or `limits.maxBytes` when lower (a descriptor's size: a registry may not send more). */
  getBlob(repository: ImageTarget, digest: string, limits?: ReadLimits): Promise<Uint8Array>;
  pushBlob(repository: ImageTarget, bytes: Uint8Array, options?: PushBlobOptions): Promise<Descriptor>;
  listTags(repository: ImageTarget): Promise<string[]>;
  listReferrers(repository: ImageTarget, subjectDigest: string, options?: ListReferrersOptions): Promise<Referrers>;
  pushReferrer(repository: ImageTarget, manifestBytes: Uint8Array, mediaType: string, subject: Descriptor): Promise<{ digest: string; via: ReferrersVia }>;
}

export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const { credentials, registryToken, allowInsecure = false, http = {}, userAgent = CLIENT_DEFAULTS.userAgent } = options ?? {};
  if (registryToken !== undefined && (typeof registryToken !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(registryToken))) throw invalid('registryToken: expected 1 to 8192 printable ASCII characters without spaces');
  if (typeof allowInsecure !== 'boolean') throw invalid(`allowInsecure: expected a boolean, found ${shown(allowInsecure)}`);
  if (typeof userAgent !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(userAgent)) throw invalid(`userAgent: expected 1 to 200 printable ASCII characters, found ${shown(userAgent)}`);
  if (credentials !== undefined && typeof credentials !== 'function' && (typeof credentials !== 'object' || credentials === null)) {
    throw invalid(`credentials: expected a resolver function or {username, password}, found ${shown(credentials)}`);
  }
  if (typeof http !== 'object' || http === null) throw invalid(`http: expected an object, found ${shown(http)}`);
  const ctx: ClientContext = {
    transport: new Transport({ allowInsecure, http, userAgent, authenticator: new Authenticator({ credentials, registryToken, allowInsecure, http, userAgent }) }),
    maxManifestBytes: limit(options?.maxManifestBytes, CLIENT_DEFAULTS.maxManifestBytes, 'maxManifestBytes'),
    maxBlobBytes: limit(options?.maxBlobBytes, CLIENT_DEFAULTS.maxBlobBytes, 'maxBlobBytes'),
  };
  return {
    resolveDigest: async (image) => resolveDigest(ctx, toReference(image)),
    getManifest: async (image, accept, limits) => getManifest(narrowed(ctx, limits), toReference(image), checkAccept(accept)),
    putManifest: async (repository, tagOrDigest, bytes, mediaType) => putManifest(ctx, toReference(repository), tagOrDigest, bytes, mediaType),
    blobExists: async (repository, digest) => blobExists(ctx, toReference(repository), digest),
    getBlob: async (repository, digest, limits) => getBlob(narrowed(ctx, limits), toReference(repository), digest),
    pushBlob: async (repository, bytes, pushOptions) => pushBlob(ctx, toReference(repository), bytes, pushOptions ?? {}),
    listTags: async (repository) => listTags(ctx, toReference(repository)),
    listReferrers: async (repository, subjectDigest, listOptions) => listReferrers(ctx, toReference(repository), subjectDigest, listOptions ?? {}),
    pushReferrer: async (repository, manifestBytes, mediaType, subject) => pushReferrer(ctx, toReference(repository), manifestBytes, mediaType, subject),
  };
}

/** The context with its read limits lowered to `limits.maxBytes` (0 allowed: an empty blob). */
function narrowed(ctx: ClientContext, limits: ReadLimits | undefined): ClientContext {
  const maxBytes = limits?.maxBytes;
  if (maxBytes === undefined) return ctx;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0) throw invalid(`maxBytes: expected a non-negative integer, found ${shown(maxBytes)}`);
  return { ...ctx, maxManifestBytes: Math.min(ctx.maxManifestBytes, maxBytes), maxBlobBytes: Math.min(ctx.maxBlobBytes, maxBytes) };
}

function limit(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(`${name}: expected a positive integer, found ${shown(value)}`);
  return value;
}

function checkAccept(accept: readonly string[] | undefined): readonly string[] | undefined {
  if (accept === undefined) return undefined;
  if (!Array.isArray(accept) || accept.length === 0 || !accept.every((t) => typeof t === 'string' && /^[\x21-\x7e]{1,255}$/.test(t))) {
    throw invalid('accept: expected one or more media types');
  }
  return accept;
}

function invalid(reason: string): OciError {
  return new OciError('OCI_INPUT_INVALID', `registry client: ${reason}`);
}
