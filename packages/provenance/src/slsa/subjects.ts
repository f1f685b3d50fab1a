import type { Subject } from '@sigil/bundle';
import { typeOf } from '@sigil/encoding';
import { ProvenanceError, type ProvenanceErrorCode } from '../errors.js';
import { asObject } from '../json-fields.js';

// Bounds on what one statement may list (@sigil/bundle reads no more than this either).
const MAX_SUBJECTS = 1024;
const MAX_DIGESTS = 32;
const MAX_NAME_LENGTH = 4096;
const HEX_LENGTHS: Readonly<Record<string, readonly number[]>> = {
  sha1: [40], sha256: [64], sha384: [96], sha512: [128], gitCommit: [40, 64],
};

/** Checks subjects a caller wants attested and returns them with lower-case digests. */
export function normalizeSubjects(subjects: unknown): Subject[] {
  if (!Array.isArray(subjects) || subjects.length === 0 || subjects.length > MAX_SUBJECTS) {
    const found = Array.isArray(subjects) ? `${subjects.length}` : typeOf(subjects);
    throw new ProvenanceError('PROVENANCE_SUBJECT_INVALID', `subjects: expected 1 to ${MAX_SUBJECTS} subjects, found ${found}`);
  }
  return subjects.map((item, i) => {
    const subject = asObject(item);
    const name = subject?.name;
    if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH) {
      throw new ProvenanceError('PROVENANCE_SUBJECT_INVALID', `subjects[${i}].name: expected a non-empty string of at most ${MAX_NAME_LENGTH} characters, found ${typeOf(name)}`);
    }
    return { name, digest: normalizeDigestSet(subject?.digest, `subjects[${i}]`, 'PROVENANCE_SUBJECT_INVALID') };
  });
}

/** An in-toto digest set: 1 to 32 algorithm names, each with a hex digest of the right length. */
export function normalizeDigestSet(value: unknown, what: string, code: ProvenanceErrorCode): Record<string, string> {
  const digest = asObject(value);
  const entries = digest ? Object.entries(digest) : [];
  if (!digest || entries.length === 0 || entries.length > MAX_DIGESTS) {
    throw new ProvenanceError(code, `${what} digest: expected an object of 1 to ${MAX_DIGESTS} algorithm-to-hex entries, found ${digest ? `${entries.length} entries` : typeOf(value)}`);
  }
  for (const [algorithm, hex] of entries) {
    const lengths = HEX_LENGTHS[algorithm];
    const valid = /^[A-Za-z0-9_-]{1,32}$/.test(algorithm) && typeof hex === 'string' && /^(?:[0-9a-fA-F]{2}){1,128}$/.test(hex) && (!lengths || lengths.includes(hex.length));
    if (!valid) {
      throw new ProvenanceError(code, `${what} digest ${JSON.stringify(algorithm.slice(0, 40))}: expected ${lengths ? `${lengths.join(' or ')} hex digits` : 'hex digits'}, found ${typeof hex === 'string' ? JSON.stringify(hex.slice(0, 140)) : typeOf(hex)}`);
    }
  }
  return Object.fromEntries(entries.map(([algorithm, hex]) => [algorithm, (hex as string).toLowerCase()]));
}
