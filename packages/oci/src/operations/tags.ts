import { OciError } from '../errors.js';
import { isObject, jsonOf } from '../json-bytes.js';
import type { ImageReference } from '../reference.js';
import { nextPageUrl } from '../transport/link-header.js';
import { apiUrl, scopeOf, type ClientContext } from './context.js';

const MAX_PAGES = 100;
const MAX_TAGS = 100_000;

/** Every tag of the repository, following `Link: rel="next"` pages (at most 100 pages, 100,000 tags). */
export async function listTags(ctx: ClientContext, ref: ImageReference): Promise<string[]> {
  const tags: string[] = [];
  let url: URL | undefined = apiUrl(ctx, ref, 'tags/list');
  for (let page = 0; url !== undefined; page++) {
    const what = `tags GET ${ref.name} (page ${page + 1})`;
    if (page >= MAX_PAGES) throw new OciError('OCI_RESPONSE_INVALID', `${what}: expected at most ${MAX_PAGES} pages, found more`);
    const response = await ctx.transport.send({ method: 'GET', url, scope: scopeOf(ref, false), headers: { accept: 'application/json' }, maxBytes: ctx.maxManifestBytes, what });
    if (response.status !== 200) throw ctx.transport.fail(response, what);
    for (const tag of readTags(response.body, what)) tags.push(tag);
    if (tags.length > MAX_TAGS) throw new OciError('OCI_TOO_LARGE', `${what}: expected at most ${MAX_TAGS} tags, found more`, { details: { limit: MAX_TAGS } });
    url = nextPageUrl(response.headers.get('link'), url, what);
  }
  return tags;
}

function readTags(body: Uint8Array, what: string): string[] {
  const read = jsonOf(body, 'OCI tag list');
  if ('refused' in read) throw invalid(what, read.refused, read.cause);
  const { value } = read;
  const tags = isObject(value) ? value.tags : undefined;
  // Registry 2.8 answers `"tags": null` for a repository without tags.
  if (tags === null) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' && tag.length <= 128)) {
    throw invalid(what, 'expected {"tags": [strings]}');
  }
  return tags as string[];
}

function invalid(what: string, reason: string, cause?: unknown): OciError {
  return new OciError('OCI_RESPONSE_INVALID', `${what}: ${reason}`, { cause });
}
