import { DistributionError } from './distribution-error.js';
import { quote } from './endpoints.js';
import { isSha256Digest, isTag } from '../grammar.js';

/** A digest from a path or query: sha256 only; anything else is 400 DIGEST_INVALID. */
export function requireDigest(text: string | null, what: string): string {
  if (text !== null && isSha256Digest(text)) return text;
  throw new DistributionError(400, 'DIGEST_INVALID', `${what}: expected sha256:<64 lowercase hex>, found ${text === null ? 'none' : quote(text)}`);
}

/** A manifest reference: a digest when it has a colon, else a tag. */
export function parseReference(text: string): { digest: string } | { tag: string } {
  if (text.includes(':')) return { digest: requireDigest(text, 'manifest reference') };
  if (isTag(text)) return { tag: text };
  throw new DistributionError(400, 'TAG_INVALID', `manifest reference: expected a tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}) or a digest, found ${quote(text)}`);
}
