import { documentError } from '../internal/fail.js';
import type { JsonObject } from '../internal/json-node.js';
import { formatTimestamp } from '../internal/timestamp.js';
import type { DocumentName } from '../errors.js';
import type { TimeRange } from './model.js';

/** A missing start stays undefined: the verifier must treat such a range as never valid. */
export function readTimeRange(o: JsonObject | undefined): TimeRange {
  if (!o) return {};
  const range: TimeRange = {};
  const start = o.optionalTimestamp('start');
  const end = o.optionalTimestamp('end');
  if (start) range.start = start;
  if (end) range.end = end;
  return range;
}

export function writeTimeRange(range: TimeRange, document: DocumentName, path: string): Record<string, string> {
  const json: Record<string, string> = {};
  for (const bound of ['start', 'end'] as const) {
    const date = range[bound];
    if (date === undefined) continue;
    const text = formatTimestamp(date);
    if (text === undefined) {
      throw documentError('BUNDLE_INVALID_FIELD', document, `${path}.${bound}`, 'expected a date between years 1 and 9999, found an invalid or out-of-range Date');
    }
    json[bound] = text;
  }
  return json;
}
