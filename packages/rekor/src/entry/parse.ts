import { JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, typeOf, utf8Decode } from '@sigil/encoding';
import { printable } from '@sigil/errors';
import { RekorError } from '../errors.js';
import { dsseV001, dsseV002 } from './dsse.js';
import { hashedRekordV001, hashedRekordV002 } from './hashedrekord.js';
import { intotoV001, intotoV002 } from './intoto.js';
import { JsonReader } from './json-reader.js';
import type { EntryKind, LoggedEntry } from './types.js';

/** Logged bodies are small (no payloads); anything near this is not a real entry. */
export const MAX_BODY_BYTES = 4 << 20;

const PARSERS: Record<string, (spec: JsonReader) => Omit<LoggedEntry, 'kind' | 'version'>> = {
  'hashedrekord/0.0.1': hashedRekordV001,
  'hashedrekord/0.0.2': hashedRekordV002,
  'dsse/0.0.1': dsseV001,
  'dsse/0.0.2': dsseV002,
  'intoto/0.0.1': intotoV001,
  'intoto/0.0.2': intotoV002,
};

export interface ExpectedKind {
  kind: string;
  version: string;
}

/**
 * Decodes a canonicalized entry body (the bytes the log hashed). With `expected` (the
 * bundle's kindVersion) the body's kind and apiVersion must equal it. Throws RekorError.
 */
export function parseEntryBody(body: Uint8Array, expected?: ExpectedKind): LoggedEntry {
  if (!(body instanceof Uint8Array)) {
    throw new RekorError('REKOR_INPUT_INVALID', `entry body: expected bytes, found ${typeOf(body)}`);
  }
  if (body.length > MAX_BODY_BYTES) {
    throw new RekorError('REKOR_BODY_INVALID', `entry body: expected at most ${MAX_BODY_BYTES} bytes, found ${body.length}`, { details: { path: '$' } });
  }
  checkExpected(expected);
  const root = new JsonReader(decodeJson(body), '$');
  const kind = root.field('kind').string();
  const version = root.field('apiVersion').string();
  if (expected && (expected.kind !== kind || expected.version !== version)) {
    throw new RekorError('REKOR_KIND_MISMATCH', `entry body: expected ${printable(expected.kind)} ${printable(expected.version)} (the bundle's kindVersion), found ${printable(kind)} ${printable(version)}`, {
      details: { expected: { ...expected }, actual: { kind, version } },
    });
  }
  const parser = Object.hasOwn(PARSERS, `${kind}/${version}`) ? PARSERS[`${kind}/${version}`] : undefined;
  if (!parser) {
    throw new RekorError('REKOR_UNSUPPORTED_KIND', `entry body: ${printable(kind.slice(0, 40))} ${printable(version.slice(0, 20))} is not a supported entry kind`, {
      details: { kind, version },
      hint: `Supported: ${Object.keys(PARSERS).join(', ')}.`,
    });
  }
  return { kind: kind as EntryKind, version, ...parser(root.field('spec')) };
}

function decodeJson(body: Uint8Array): unknown {
  try {
    return parseJson(utf8Decode(body, 'entry body'), 'entry body', JSON_DOCUMENT_LIMITS['Rekor entry body']);
  } catch (err) {
    throw new RekorError('REKOR_BODY_INVALID', jsonShapeRefusal(err)?.message ?? 'entry body: expected UTF-8 JSON', { cause: err, details: { path: '$' } });
  }
}

function checkExpected(expected: unknown): void {
  if (expected === undefined) return;
  const fields = expected as Partial<ExpectedKind> | null;
  if (typeof fields !== 'object' || fields === null || typeof fields.kind !== 'string' || typeof fields.version !== 'string') {
    throw new RekorError('REKOR_INPUT_INVALID', `entry body: expected kind and version as strings, found ${typeOf(expected)}`);
  }
}
