// @sigil/encoding: the byte and text encodings Sigstore data uses, strict on input.
export { EncodingError, type EncodingErrorCode } from './errors.js';
export { decodeBase64, encodeBase64, encodeBase64Url, typeOf } from './base64.js';
export { decodeHex, encodeHex } from './hex.js';
export { decodePemBlocks, pemToDer, derToPem, type PemBlock } from './pem.js';
export { utf8Encode, utf8Decode } from './utf8.js';
export { parseJson, canonicalJson } from './json.js';
export { checkJsonShape, MAX_JSON_DEPTH, MAX_JSON_CONTAINERS, MAX_JSON_VALUES, type JsonShapeLimits } from './json-shape.js';
export { jsonShapeRefusal } from './json-shape-refusal.js';
export { JSON_DOCUMENT_LIMITS, MAX_OCI_INDEX_DESCRIPTORS, type JsonDocumentKind } from './json-document-limits.js';
export { bytesEqual, concatBytes } from './bytes.js';
