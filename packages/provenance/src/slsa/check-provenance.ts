import type { Subject } from '@sigil/bundle';
import { typeOf } from '@sigil/encoding';
import type { ValueMatcher } from '@sigil/verify';
import { ProvenanceError, type ProvenanceErrorCode } from '../errors.js';
import { normalizeDigestSet } from './subjects.js';
import type { Provenance } from './types.js';

/** A string is an exact value; `@sigil/verify`'s `exact()` / `regexp()` build matchers. */
export type ExpectedValue = string | ValueMatcher;

/** What the provenance must say. Every field given is checked; none is required. */
export interface ProvenancePolicy {
  /** Each must be a subject of the statement: same name when given, equal digests in every shared algorithm. */
  subjects?: ReadonlyArray<{ name?: string; digest: Readonly<Record<string, string>> }>;
  buildType?: ExpectedValue;
  builderId?: ExpectedValue;
  sourceRepository?: ExpectedValue;
  /** Hex, any case. */
  sourceCommit?: string;
  /** A full ref: `refs/heads/main`, `refs/tags/v1.2.0`. */
  sourceRef?: ExpectedValue;
  configPath?: ExpectedValue;
}

type MatchedField = 'buildType' | 'builderId' | 'sourceRepository' | 'sourceRef' | 'configPath';

const FIELD_CODES: Record<MatchedField, ProvenanceErrorCode> = {
  buildType: 'PROVENANCE_BUILD_TYPE_MISMATCH',
  builderId: 'PROVENANCE_BUILDER_MISMATCH',
  sourceRepository: 'PROVENANCE_SOURCE_REPOSITORY_MISMATCH',
  sourceRef: 'PROVENANCE_SOURCE_REF_MISMATCH',
  configPath: 'PROVENANCE_CONFIG_PATH_MISMATCH',
};

/** Throws a ProvenanceError naming the first field that differs from the policy, expected and found. */
export function checkProvenance(provenance: Provenance, policy: ProvenancePolicy): void {
  if (typeof provenance !== 'object' || provenance === null || !Array.isArray(provenance.subjects)) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `checkProvenance: expected readProvenance's result, found ${typeOf(provenance)}`);
  }
  if (typeof policy !== 'object' || policy === null || (policy.subjects !== undefined && !Array.isArray(policy.subjects))) {
    throw new ProvenanceError('PROVENANCE_POLICY_INVALID', `provenance policy: expected an object (subjects a list), found ${typeOf(policy)}`);
  }
  for (const expected of policy.subjects ?? []) checkSubject(provenance.subjects, expected);
  for (const field of Object.keys(FIELD_CODES) as MatchedField[]) {
    const expected = policy[field];
    if (expected !== undefined && !matches(expected, provenance[field], field)) mismatch(FIELD_CODES[field], field, describe(expected), provenance[field]);
  }
  if (policy.sourceCommit !== undefined) {
    if (typeof policy.sourceCommit !== 'string' || !/^[0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?$/.test(policy.sourceCommit)) {
      throw new ProvenanceError('PROVENANCE_POLICY_INVALID', `provenance policy sourceCommit: expected a 40 or 64 digit hex commit, found ${JSON.stringify(policy.sourceCommit)}`);
    }
    if (provenance.sourceCommit !== policy.sourceCommit.toLowerCase()) {
      mismatch('PROVENANCE_SOURCE_COMMIT_MISMATCH', 'sourceCommit', JSON.stringify(policy.sourceCommit.toLowerCase()), provenance.sourceCommit);
    }
  }
}

function checkSubject(subjects: readonly Subject[], expected: { name?: string; digest: Readonly<Record<string, string>> }): void {
  const digest = normalizeDigestSet(expected?.digest, 'provenance policy subject', 'PROVENANCE_POLICY_INVALID');
  const found = subjects.some((subject) => (expected?.name === undefined || subject.name === expected.name) && sameDigests(subject.digest, digest));
  if (!found) {
    const wanted = `${expected.name === undefined ? 'a subject' : `subject ${JSON.stringify(expected.name)}`} with ${Object.entries(digest).map(([a, h]) => `${a}:${h}`).join(', ')}`;
    throw new ProvenanceError('PROVENANCE_SUBJECT_MISMATCH', `provenance subjects: expected ${wanted}, found none among ${subjects.length} subject(s)`, {
      details: { field: 'subjects', expected: { name: expected.name, digest }, found: subjects },
    });
  }
}

/** Equal in every algorithm both name, and at least one is shared. */
function sameDigests(actual: Readonly<Record<string, string>>, expected: Readonly<Record<string, string>>): boolean {
  const shared = Object.keys(expected).filter((alg) => Object.prototype.hasOwnProperty.call(actual, alg));
  return shared.length > 0 && shared.every((alg) => actual[alg]!.toLowerCase() === expected[alg]);
}

function matches(expected: ExpectedValue, value: string | undefined, field: string): boolean {
  if (typeof expected === 'string') return value === expected;
  if (expected?.kind === 'exact' && typeof expected.value === 'string') return value === expected.value;
  if (expected?.kind === 'regexp' && typeof expected.pattern?.test === 'function') {
    if (expected.pattern instanceof RegExp) expected.pattern.lastIndex = 0; // a /g or /y pattern would otherwise resume from its last match
    return value !== undefined && expected.pattern.test(value);
  }
  throw new ProvenanceError('PROVENANCE_POLICY_INVALID', `provenance policy ${field}: expected a string or a matcher from exact() or regexp(), found ${typeOf(expected)}`);
}

function describe(expected: ExpectedValue): string {
  if (typeof expected === 'string') return JSON.stringify(expected);
  return expected.kind === 'exact' ? JSON.stringify(expected.value) : `/${expected.pattern.source}/`;
}

function mismatch(code: ProvenanceErrorCode, field: string, expected: string, found: string | undefined): never {
  throw new ProvenanceError(code, `provenance ${field}: expected ${expected}, found ${found === undefined ? 'none' : JSON.stringify(found)}`, {
    details: { field, expected, found },
  });
}
