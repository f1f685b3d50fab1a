import { JSON_DOCUMENT_LIMITS, type JsonDocumentKind, type JsonShapeLimits } from '@sigil/encoding';
import { HttpClientError } from './errors.js';
import { typeOf } from './type-of.js';

/** The limits a JSON answer is checked against: a document kind's, or the caller's own. */
export type JsonLimitsOption = JsonDocumentKind | JsonShapeLimits;

const LIMIT_NAMES: readonly string[] = ['maxDepth', 'maxContainers', 'maxValues'];

/** The limits an option names; without one, a service response's (a log entry, a page of a CI API). */
export function jsonLimitsOf(option: unknown): JsonShapeLimits {
  if (option === undefined) return JSON_DOCUMENT_LIMITS['service response'];
  if (typeof option === 'string' && Object.hasOwn(JSON_DOCUMENT_LIMITS, option)) return JSON_DOCUMENT_LIMITS[option as JsonDocumentKind];
  const found = typeof option === 'string' ? `the unknown kind ${JSON.stringify(option.slice(0, 40))}` : typeof option !== 'object' || option === null || Array.isArray(option) ? typeOf(option) : badLimit(option as Record<string, unknown>);
  if (found !== undefined) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `jsonLimits: expected a JSON document kind or { maxDepth, maxContainers, maxValues } of whole numbers from 1, found ${found}`);
  }
  return option as JsonShapeLimits;
}

/** What is wrong with limits given as an object, if anything. */
function badLimit(limits: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(limits)) {
    if (!LIMIT_NAMES.includes(key)) return `the unknown limit ${JSON.stringify(key.slice(0, 40))}`;
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 1)) return `${key} ${typeOf(value)}`;
  }
  return undefined;
}
