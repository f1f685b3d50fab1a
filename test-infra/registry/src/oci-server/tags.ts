import type { RequestContext } from './context.js';
import { DistributionError } from './distribution-error.js';
import { sendJson } from './respond.js';

/** GET /v2/<name>/tags/list[?n=&last=]: tags in lexical order, paged with Link rel="next". */
export function listTags({ req, res, url, endpoint, storage }: RequestContext<'tags'>): void {
  const repository = storage.find(endpoint.name);
  if (!repository) throw new DistributionError(404, 'NAME_UNKNOWN', 'repository name not known to registry', {}, { name: endpoint.name });
  const nText = url.searchParams.get('n');
  const n = nText === null ? Infinity : Number(nText);
  if (!(n === Infinity || (/^\d{1,6}$/.test(nText!) && Number.isSafeInteger(n)))) {
    throw new DistributionError(400, 'UNSUPPORTED', `n: expected a non-negative integer, found ${JSON.stringify(nText)}`);
  }
  const last = url.searchParams.get('last');
  const after = [...repository.tags.keys()].sort().filter((tag) => last === null || tag > last);
  const tags = after.slice(0, n);
  const more = tags.length < after.length && tags.length > 0;
  const link: Record<string, string> = more ? { link: `</v2/${endpoint.name}/tags/list?n=${n}&last=${encodeURIComponent(tags.at(-1)!)}>; rel="next"` } : {};
  sendJson(req, res, 200, { name: endpoint.name, tags }, link);
}
