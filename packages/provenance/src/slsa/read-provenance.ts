import { BundleError, parseStatement, type Statement } from '@sigil/bundle';
import { typeOf, utf8Encode } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';
import { asObject } from '../json-fields.js';
import { readV02 } from './read-v02.js';
import { readV1 } from './read-v1.js';
import { SLSA_PROVENANCE_V0_2, SLSA_PROVENANCE_V1, type Provenance } from './types.js';

/** An in-toto statement: parsed by `@sigil/bundle` (a verifier's result), or its JSON as text, bytes or a value. */
export type StatementInput = Statement | string | Uint8Array | object;

/**
 * Reads an SLSA provenance statement (v0.2 or v1) into the facts a policy checks. Fields a
 * layout does not define are absent, never inferred. Throws ProvenanceError.
 */
export function readProvenance(input: StatementInput): Provenance {
  const statement = toStatement(input);
  const predicate = asObject(statement.predicate);
  const version = statement.predicateType === SLSA_PROVENANCE_V1 ? '1' : statement.predicateType === SLSA_PROVENANCE_V0_2 ? '0.2' : undefined;
  if (version === undefined) {
    throw new ProvenanceError('PROVENANCE_PREDICATE_UNSUPPORTED', `in-toto statement predicate type: expected ${SLSA_PROVENANCE_V1} or ${SLSA_PROVENANCE_V0_2}, found ${JSON.stringify(statement.predicateType)}`, {
      details: { predicateType: statement.predicateType },
    });
  }
  if (!predicate) {
    throw new ProvenanceError('PROVENANCE_PREDICATE_INVALID', `${statement.predicateType} predicate: expected an object, found ${typeOf(statement.predicate)}`);
  }
  const fields = version === '1' ? readV1(predicate) : readV02(predicate);
  return withoutAbsent({ slsaVersion: version, predicateType: statement.predicateType, ...fields, subjects: statement.subjects });
}

function toStatement(input: StatementInput): Statement {
  if (isParsedStatement(input)) return input;
  let bytes: Uint8Array;
  if (typeof input === 'string') bytes = utf8Encode(input);
  else if (input instanceof Uint8Array) bytes = input;
  else if (asObject(input)) bytes = utf8Encode(jsonText(input));
  else throw new ProvenanceError('PROVENANCE_STATEMENT_INVALID', `in-toto statement: expected a statement, its JSON text or bytes, found ${typeOf(input)}`);
  try {
    return parseStatement(bytes);
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    throw new ProvenanceError('PROVENANCE_STATEMENT_INVALID', err.message, { cause: err, details: err.details });
  }
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new ProvenanceError('PROVENANCE_STATEMENT_INVALID', 'in-toto statement: expected a JSON value, found one JSON cannot represent', { cause: err });
  }
}

function isParsedStatement(value: unknown): value is Statement {
  const o = asObject(value);
  return o !== undefined && typeof o.type === 'string' && Array.isArray(o.subjects) && typeof o.predicateType === 'string';
}

function withoutAbsent(provenance: Provenance): Provenance {
  for (const key of Object.keys(provenance) as (keyof Provenance)[]) {
    if (provenance[key] === undefined) delete provenance[key];
  }
  return provenance;
}
