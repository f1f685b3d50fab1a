import { MAX_OCI_INDEX_DESCRIPTORS } from '@sigil/encoding';
import { parseAnnotations, parseDescriptor, type Descriptor } from '../descriptor.js';
import { checkDigest, digestOf } from '../digest.js';
import { OciError } from '../errors.js';
import { isObject, jsonOf } from '../json-bytes.js';
import { parseManifestJson } from '../manifest-json.js';
import { OCI_INDEX, mediaTypeOf } from '../media-types.js';
import { referenceTo, type ImageReference } from '../reference.js';
import { nextPageUrl } from '../transport/link-header.js';
import { checkBytes, apiUrl, scopeOf, type ClientContext } from './context.js';
import { fetchManifest, putManifest } from './manifests.js';

export type ReferrersVia = 'referrers-api' | 'tag-schema';

export interface Referrers {
  /** Descriptors of the manifests whose `subject` is the digest, with `artifactType` and annotations. */
  manifests: Descriptor[];
  /** Where they came from: the registry's referrers API, or the `sha256-<hex>` fallback tag. */
  via: ReferrersVia;
}

export interface ListReferrersOptions {
  /** Only referrers of this artifact type (filtered here too: registries may ignore the query). */
  artifactType?: string;
  /**
   * Enough referrers: no further page is read once this many (of the artifact type) are
   * listed, and no more are returned. For callers that examine only so many (cosign's 100).
   */
  limit?: number;
}

const MAX_PAGES = 50;
// The JSON limits of an index are derived from the same number, so a full list always parses.
const MAX_REFERRERS = MAX_OCI_INDEX_DESCRIPTORS;
// A conditional update of the fallback index that the registry refused as stale (412) is redone.
const INDEX_UPDATE_ATTEMPTS = 3;

/**
 * The referrers tag of the OCI 1.1 tag schema: the algorithm and the hex, truncated to 32
 * and 64 characters, joined by '-' (`sha256:ab…` -> `sha256-ab…`).
 */
export function referrersTag(digest: string): string {
  checkDigest(digest, 'subject digest');
  const colon = digest.indexOf(':');
  return `${digest.slice(0, colon).slice(0, 32)}-${digest.slice(colon + 1).slice(0, 64)}`;
}

/**
 * GET /v2/<name>/referrers/<digest>, page by page; on 404 or 400, or a first answer that
 * is not an OCI index (ggcr's rule), the index at the fallback tag instead, where a
 * missing tag means no referrers.
 */
export async function listReferrers(ctx: ClientContext, ref: ImageReference, subjectDigest: string, options: ListReferrersOptions = {}): Promise<Referrers> {
  checkDigest(subjectDigest, 'subject digest');
  const { artifactType, limit = MAX_REFERRERS } = options ?? {};
  if (artifactType !== undefined && (typeof artifactType !== 'string' || artifactType === '')) {
    throw new OciError('OCI_INPUT_INVALID', 'artifactType: expected a non-empty media type string');
  }
  if (!Number.isSafeInteger(limit) || limit < 1) throw new OciError('OCI_INPUT_INVALID', `limit: expected a whole number of referrers from 1, found ${String(limit).slice(0, 40)}`);
  const wanted = (list: Descriptor[]) => (artifactType === undefined ? list : list.filter((d) => d.artifactType === artifactType)).slice(0, limit);
  const manifests: Descriptor[] = [];
  let url: URL | undefined = apiUrl(ctx, ref, `referrers/${subjectDigest}`);
  if (artifactType !== undefined) url.searchParams.set('artifactType', artifactType);
  for (let page = 0; url !== undefined; page++) {
    const what = `referrers GET ${ref.name}@${subjectDigest}${page ? ` (page ${page + 1})` : ''}`;
    if (page >= MAX_PAGES) throw new OciError('OCI_RESPONSE_INVALID', `${what}: expected at most ${MAX_PAGES} pages, found more`);
    const response = await ctx.transport.send({ method: 'GET', url, scope: scopeOf(ref, false), headers: { accept: OCI_INDEX }, maxBytes: ctx.maxManifestBytes, what });
    const isIndex = response.status === 200 && mediaTypeOf(response.headers.get('content-type')) === OCI_INDEX;
    if (page === 0 && !isIndex && [200, 400, 404].includes(response.status)) return { manifests: wanted(await fallbackReferrers(ctx, ref, subjectDigest)), via: 'tag-schema' };
    if (!isIndex) throw ctx.transport.fail(response, what);
    const read = jsonOf(response.body, 'OCI manifest');
    if ('refused' in read) throw new OciError('OCI_MANIFEST_INVALID', `${what}: ${read.refused}`, { cause: read.cause });
    manifests.push(...indexManifests(read.value, what));
    if (manifests.length > MAX_REFERRERS) throw tooMany(what);
    // Pages past what the caller will look at are not read (each may be megabytes).
    if (wanted(manifests).length >= limit) break;
    url = nextPageUrl(response.headers.get('link'), url, what);
  }
  return { manifests: wanted(manifests), via: 'referrers-api' };
}

/**
 * Pushes a manifest whose `subject` is `subject`, by its digest. When the registry does not
 * answer with `OCI-Subject: <subject digest>`, the manifest is added to the fallback index
 * at `sha256-<hex>` (created when missing), unless it is there already.
 */
export async function pushReferrer(
  ctx: ClientContext,
  ref: ImageReference,
  manifestBytes: Uint8Array,
  mediaType: string,
  subject: Descriptor,
): Promise<{ digest: string; via: ReferrersVia }> {
  checkBytes(manifestBytes, 'referrer manifest');
  const subjectDigest = checkSubject(subject);
  const what = `referrer manifest for ${ref.name}@${subjectDigest}`;
  const { json } = parseManifestJson(manifestBytes, what);
  const declared = isObject(json.subject) ? json.subject.digest : undefined;
  if (declared !== subjectDigest) {
    throw new OciError('OCI_MANIFEST_INVALID', `${what}: expected subject.digest ${subjectDigest}, found ${typeof declared === 'string' ? JSON.stringify(declared.slice(0, 100)) : 'none'}`);
  }
  const { digest, ociSubject } = await putManifest(ctx, ref, digestOf(manifestBytes), manifestBytes, mediaType);
  if (ociSubject === subjectDigest) return { digest, via: 'referrers-api' };
  const entry: Descriptor = { mediaType, digest, size: manifestBytes.length };
  const artifactType = typeof json.artifactType === 'string' ? json.artifactType : isObject(json.config) && typeof json.config.mediaType === 'string' ? json.config.mediaType : undefined;
  if (artifactType !== undefined) entry.artifactType = artifactType;
  if (json.annotations !== undefined) entry.annotations = parseAnnotations(json.annotations, `${what}: $.annotations`);
  await addToFallbackIndex(ctx, ref, subjectDigest, entry);
  return { digest, via: 'tag-schema' };
}

async function fallbackReferrers(ctx: ClientContext, ref: ImageReference, subjectDigest: string): Promise<Descriptor[]> {
  const tagged = referenceTo(ref, { tag: referrersTag(subjectDigest) });
  const { manifest } = await fetchManifest(ctx, tagged, [OCI_INDEX], { missingOk: true });
  return manifest === undefined ? [] : indexManifests(manifest.json, `referrers index ${tagged}`);
}

async function addToFallbackIndex(ctx: ClientContext, ref: ImageReference, subjectDigest: string, entry: Descriptor): Promise<void> {
  const tagged = referenceTo(ref, { tag: referrersTag(subjectDigest) });
  for (let attempt = 1; ; attempt++) {
    const { manifest, etag } = await fetchManifest(ctx, tagged, [OCI_INDEX], { missingOk: true, push: true });
    const existing = manifest === undefined ? [] : indexManifests(manifest.json, `referrers index ${tagged}`);
    if (existing.some((d) => d.digest === entry.digest)) return;
    const index = manifest === undefined ? { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] } : manifest.json;
    const bytes = new TextEncoder().encode(JSON.stringify({ ...index, manifests: [...(index.manifests as unknown[]), entry] }));
    try {
      // If-Match lets a registry that honours it refuse a lost update; registry 2.8 ignores it.
      await putManifest(ctx, tagged, tagged.tag!, bytes, OCI_INDEX, etag === undefined ? {} : { 'if-match': etag });
      return;
    } catch (err) {
      if (!(err instanceof OciError && err.details?.status === 412) || attempt >= INDEX_UPDATE_ATTEMPTS) throw err;
    }
  }
}

function indexManifests(json: unknown, what: string): Descriptor[] {
  if (!isObject(json) || !Array.isArray(json.manifests)) throw new OciError('OCI_MANIFEST_INVALID', `${what}: expected an OCI index with a manifests array`);
  if (json.manifests.length > MAX_REFERRERS) throw tooMany(what);
  return json.manifests.map((item, i) => parseDescriptor(item, `${what}: $.manifests[${i}]`));
}

function checkSubject(subject: Descriptor): string {
  try {
    return parseDescriptor(subject, 'subject').digest;
  } catch (err) {
    throw new OciError('OCI_INPUT_INVALID', (err as Error).message, { cause: err });
  }
}

function tooMany(what: string): OciError {
  return new OciError('OCI_TOO_LARGE', `${what}: expected at most ${MAX_REFERRERS} referrers, found more`, { details: { limit: MAX_REFERRERS } });
}
