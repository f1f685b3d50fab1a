// TUF metadata is parsed by tuf-js as it downloads it and here as the cache is read; either
// way its shape is bounded first by its role's JSON_DOCUMENT_LIMITS, as every other document
// from outside is: a 5 MB targets.json of empty objects would otherwise cost some 170 MB.
import { checkJsonShape, EncodingError, JSON_DOCUMENT_LIMITS, type JsonDocumentKind } from '@sigil/encoding';
import type { Metadata } from '@tufjs/models';
import { TufError } from './errors.js';

type MetadataJson = Parameters<typeof Metadata.fromJSON>[1];

/**
 * The kind of a metadata file by its name (`12.root.json`, `timestamp.json`, `3.snapshot.json`);
 * any other (`targets.json`, a delegated role's `registry.npmjs.org.json`) lists targets.
 */
function kindOf(fileName: string): JsonDocumentKind {
  const role = /^(?:\d+\.)?(root|timestamp|snapshot)\.json$/.exec(fileName)?.[1];
  return role === undefined ? 'TUF targets' : (`TUF ${role}` as JsonDocumentKind);
}

/** Refuses metadata text that holds more than its role may, as TUF_METADATA_INVALID naming the file. */
export function checkMetadataShape(text: string, fileName: string): void {
  const kind = kindOf(fileName);
  try {
    checkJsonShape(text, `${kind} metadata ${fileName}`, JSON_DOCUMENT_LIMITS[kind]);
  } catch (err) {
    if (!(err instanceof EncodingError)) throw err;
    throw new TufError('TUF_METADATA_INVALID', err.message, { cause: err, details: { ...err.details, file: fileName } });
  }
}

/** Metadata bytes as JSON, once their shape is within their role's limits. */
export function parseMetadataJson(bytes: Uint8Array | string, fileName: string): MetadataJson {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  checkMetadataShape(text, fileName);
  return JSON.parse(text) as MetadataJson;
}
