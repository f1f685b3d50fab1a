import { describeError, isSigilError } from '@sigil/errors';
import { checkJsonShape, EncodingError, JSON_DOCUMENT_LIMITS, utf8Decode } from '@sigil/encoding';
import { BundleError, type DocumentName } from '../errors.js';
import { documentError } from './fail.js';
import { JsonObject } from './json-node.js';

/**
 * Reads a whole document: JSON text (string or UTF-8 bytes, at most `maxSize` characters or
 * bytes) or an already parsed value. Anything that escapes the readers as a non-Sigil error
 * is wrapped, so callers only ever see BundleError.
 */
export function readDocument<T>(input: unknown, document: DocumentName, maxSize: number, read: (root: JsonObject) => T): T {
  try {
    return read(JsonObject.root(toJsonValue(input, document, maxSize), document));
  } catch (err) {
    if (err instanceof BundleError) throw err;
    throw documentError('BUNDLE_INVALID_FIELD', document, '', `unreadable (${describeError(err)})`, {
      cause: err,
      details: isSigilError(err) ? { code: err.code } : undefined,
    });
  }
}

function toJsonValue(input: unknown, document: DocumentName, maxSize: number): unknown {
  let text: string;
  if (typeof input === 'string') {
    checkSize(input.length, 'characters', document, maxSize);
    text = input;
  } else if (input instanceof Uint8Array) {
    checkSize(input.length, 'bytes', document, maxSize);
    try {
      text = utf8Decode(input, document);
    } catch (err) {
      throw documentError('BUNDLE_INVALID_JSON', document, '', 'expected UTF-8 JSON text, found invalid UTF-8', { cause: err });
    }
  } else {
    return input;
  }
  try {
    // Each kind's own limits: a bundle or trusted root holds a few dozen arrays and objects.
    checkJsonShape(text, document, JSON_DOCUMENT_LIMITS[document]);
  } catch (err) {
    if (!(err instanceof EncodingError)) throw err;
    // The shape check names the document first, as documentError does.
    throw documentError('BUNDLE_TOO_LARGE', document, '', err.message.slice(`${document}: `.length), { cause: err, details: err.details });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : 'unparseable';
    throw documentError('BUNDLE_INVALID_JSON', document, '', `expected JSON text, found a syntax error (${reason})`, { cause: err });
  }
}

function checkSize(size: number, unit: string, document: DocumentName, maxSize: number): void {
  if (size > maxSize) {
    throw documentError('BUNDLE_TOO_LARGE', document, '', `expected at most ${maxSize} ${unit} of JSON, found ${size}`);
  }
}
