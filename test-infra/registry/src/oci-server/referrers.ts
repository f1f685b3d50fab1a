import type { RequestContext } from './context.js';
import { requireDigest } from './references.js';
import { sendJson } from './respond.js';
import { OCI_INDEX } from '../media-types.js';

/**
 * GET /v2/<name>/referrers/<digest>[?artifactType=]: an OCI index of every manifest whose subject
 * is the digest (empty when none), sorted by digest; a filter is applied and said so.
 */
export function listReferrers({ req, res, url, endpoint, storage }: RequestContext<'referrers'>): void {
  const subject = requireDigest(endpoint.digest, 'subject digest');
  const filter = url.searchParams.get('artifactType') || undefined;
  const manifests = [...(storage.find(endpoint.name)?.manifests.values() ?? [])]
    .filter((m) => m.subject === subject && (filter === undefined || m.artifactType === filter))
    .sort((a, b) => (a.digest < b.digest ? -1 : 1))
    .map((m) => ({
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.bytes.length,
      ...(m.artifactType === undefined ? {} : { artifactType: m.artifactType }),
      ...(m.annotations === undefined ? {} : { annotations: m.annotations }),
    }));
  sendJson(req, res, 200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, {
    'content-type': OCI_INDEX,
    ...(filter === undefined ? {} : { 'oci-filters-applied': 'artifactType' }),
  });
}
