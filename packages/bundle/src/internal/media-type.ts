import { describeValue } from './fail.js';
import type { JsonObject } from './json-node.js';

/** The document's `mediaType`, which must be one of `supported`. */
export function readMediaType(root: JsonObject, supported: readonly string[]): string {
  const mediaType = root.string('mediaType');
  if (!supported.includes(mediaType)) {
    throw root.field('mediaType')!.fail('BUNDLE_UNSUPPORTED_MEDIA_TYPE', `expected one of ${supported.join(', ')}, found ${describeValue(mediaType)}`, {
      hint: `Sigil reads ${supported.join(' and ')}; a newer ${root.document} format needs a newer Sigil`,
      details: { mediaType },
    });
  }
  return mediaType;
}
