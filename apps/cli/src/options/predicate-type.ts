import { parseStatement, type Statement } from '@sigil/bundle';
import { parseJson, utf8Decode } from '@sigil/encoding';
import { usageError } from '../cli-error.js';
import { readFileLimited, readTextFileLimited } from '../files.js';
import { readStdin } from '../stdin.js';

// cosign's --type shorthands (cmd/cosign/cli/options/predicate.go); anything else must be a URI.
const PREDICATE_TYPES: Readonly<Record<string, string>> = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

const CUSTOM_PREDICATE_TYPE = PREDICATE_TYPES.custom!;
const MAX_PREDICATE_BYTES = 16 * 1024 * 1024;

/**
 * The predicate as cosign makes it: for cosign's custom type the file's text, wrapped as
 * `{Data, Timestamp}` (so any file will do); for every other type the file's JSON.
 */
export async function predicateFromFile(path: string, predicateType: string, now = new Date()): Promise<unknown> {
  const text = path === '-' ? utf8Decode(await readStdin('predicate', MAX_PREDICATE_BYTES)) : readTextFileLimited(path, 'predicate', MAX_PREDICATE_BYTES);
  if (predicateType === CUSTOM_PREDICATE_TYPE) return { Data: text, Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  return parseJson(text, `predicate ${path}`);
}

export function predicateTypeFromFlag(value: string | undefined, fallback = 'custom'): string {
  const given = value ?? fallback;
  const known = PREDICATE_TYPES[given];
  if (known) return known;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw usageError(`--type ${JSON.stringify(given)}: expected one of ${Object.keys(PREDICATE_TYPES).join(', ')} or a predicate type URI`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usageError(`--type ${JSON.stringify(given)}: expected an http(s) URI`);
  return given;
}

/** cosign's --statement: a whole in-toto statement (file or - for stdin), signed as written. */
export async function statementFromFile(path: string): Promise<{ bytes: Uint8Array; statement: Statement }> {
  const bytes = path === '-' ? await readStdin('statement', MAX_PREDICATE_BYTES) : readFileLimited(path, 'statement', MAX_PREDICATE_BYTES);
  return { bytes, statement: parseStatement(bytes) };
}
