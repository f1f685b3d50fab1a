import { BundleError, parseBundle, type Bundle } from '@sigil/bundle';
import { describeError } from '@sigil/errors';
import { JSON_DOCUMENT_LIMITS, parseJson, typeOf, utf8Decode } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';
import { arrayField, asObject, stringField } from '../json-fields.js';

/** One entry of the registry's `/-/npm/v1/attestations/<name>@<version>` answer. */
export interface NpmAttestation {
  predicateType: string;
  bundle: Bundle;
}

const MAX_DOCUMENT_SIZE = 64 * 1024 * 1024;
const MAX_ATTESTATIONS = 32; // the registry serves two: SLSA provenance and its publish attestation

/**
 * Reads the registry's attestations document `{"attestations": [{predicateType, bundle}]}`
 * (JSON text, bytes or a parsed value); each bundle is parsed, not yet verified.
 * Throws PROVENANCE_NPM_ATTESTATIONS_INVALID.
 */
export function parseNpmAttestations(input: unknown): NpmAttestation[] {
  const root = asObject(typeof input === 'string' || input instanceof Uint8Array ? parseText(input) : input);
  const list = arrayField(root, 'attestations');
  if (!list) fail(`expected an object with an "attestations" list, found ${root ? 'no list' : typeOf(input)}`);
  if (list.length === 0 || list.length > MAX_ATTESTATIONS) fail(`expected 1 to ${MAX_ATTESTATIONS} attestations, found ${list.length}`);
  return list.map((item, i) => {
    const entry = asObject(item);
    const predicateType = stringField(entry, 'predicateType');
    if (!entry || predicateType === undefined) fail(`attestations[${i}].predicateType: expected a non-empty string, found ${typeOf(entry?.predicateType)}`);
    try {
      return { predicateType, bundle: parseBundle(entry.bundle) };
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      fail(`attestations[${i}].bundle: ${describeError(err)}`, err);
    }
  });
}

function parseText(input: string | Uint8Array): unknown {
  if (input.length > MAX_DOCUMENT_SIZE) fail(`expected at most ${MAX_DOCUMENT_SIZE} bytes, found ${input.length}`);
  try {
    return parseJson(typeof input === 'string' ? input : utf8Decode(input), 'npm attestations', JSON_DOCUMENT_LIMITS['npm attestations']);
  } catch (err) {
    fail('not UTF-8 JSON', err);
  }
}

function fail(reason: string, cause?: unknown): never {
  throw new ProvenanceError('PROVENANCE_NPM_ATTESTATIONS_INVALID', `npm attestations: ${reason}`, cause === undefined ? {} : { cause });
}
