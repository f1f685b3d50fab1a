import { readDocument } from './internal/document.js';
import type { JsonObject, JsonValue } from './internal/json-node.js';
import { MAX_STATEMENT_SIZE, MAX_STATEMENT_SUBJECTS, MAX_SUBJECT_DIGESTS } from './internal/limits.js';

export const STATEMENT_TYPE_V0_1 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_TYPE_V1 = 'https://in-toto.io/Statement/v1';
export type StatementType = typeof STATEMENT_TYPE_V0_1 | typeof STATEMENT_TYPE_V1;

/** An in-toto statement: what it is about (subjects) and what it says (the predicate, unchecked). */
export interface Statement {
  type: StatementType;
  subjects: Subject[];
  predicateType: string;
  predicate: unknown;
}

export interface Subject {
  /** '' when a v1 subject has none. */
  name: string;
  /** Algorithm name to digest; hex digests are lower-cased. */
  digest: Record<string, string>;
  /** A v1 resource descriptor's annotations (cosign signs `-a KEY=VALUE` there), as written. */
  annotations?: Readonly<Record<string, unknown>>;
}

const STATEMENT_TYPES: Readonly<Record<string, StatementType>> = {
  [STATEMENT_TYPE_V0_1]: STATEMENT_TYPE_V0_1,
  [STATEMENT_TYPE_V1]: STATEMENT_TYPE_V1,
};

// The in-toto digest set algorithms whose values are hex. Others (such as Go's `dirHash`,
// "h1:<base64>") are kept as written: they never match an artifact digest anyway.
const HEX_DIGEST_ALGORITHMS = new Set([
  'sha224', 'sha256', 'sha384', 'sha512', 'sha512_224', 'sha512_256',
  'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'shake128', 'shake256',
  'blake2b', 'blake2s', 'ripemd160', 'sm3', 'gost', 'sha1', 'md5',
  'gitBlob', 'gitCommit', 'gitTag', 'gitTree',
]);
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Reads a DSSE payload as an in-toto statement; every problem is BUNDLE_INVALID_STATEMENT. */
export function parseStatement(payload: Uint8Array): Statement {
  return readDocument(payload, 'in-toto statement', MAX_STATEMENT_SIZE, readStatement);
}

function readStatement(root: JsonObject): Statement {
  const type = root.require('_type', 'an in-toto statement type').asEnum(STATEMENT_TYPES);
  return {
    type,
    subjects: root.list('subject', MAX_STATEMENT_SUBJECTS, 1).map((subject) => readSubject(subject.asObject(), type)),
    predicateType: root.string('predicateType'),
    predicate: root.field('predicate')?.value,
  };
}

function readSubject(o: JsonObject, type: StatementType): Subject {
  // v1 subjects are resource descriptors, whose name is optional.
  const name = type === STATEMENT_TYPE_V0_1 ? o.string('name') : (o.optionalString('name') ?? '');
  const entries = o.object('digest').entries(MAX_SUBJECT_DIGESTS);
  if (entries.length === 0) throw o.fail('BUNDLE_INVALID_FIELD', 'expected a digest set with at least one digest, found an empty one');
  // No prototype: an algorithm named "__proto__" stays a plain key.
  const digest: Record<string, string> = Object.create(null);
  for (const [algorithm, value] of entries) digest[algorithm] = readDigest(algorithm, value);
  const annotations = type === STATEMENT_TYPE_V1 && o.optionalObject('annotations') ? (o.field('annotations')!.value as Record<string, unknown>) : undefined;
  return annotations ? { name, digest, annotations } : { name, digest };
}

function readDigest(algorithm: string, value: JsonValue): string {
  const text = value.asString();
  if (!HEX_DIGEST_ALGORITHMS.has(algorithm)) return text;
  if (!HEX.test(text)) throw value.fail('BUNDLE_INVALID_FIELD', `expected a hex ${algorithm} digest, found ${JSON.stringify(text.slice(0, 80))}`);
  return text.toLowerCase();
}
