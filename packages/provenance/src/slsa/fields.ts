import { ProvenanceError } from '../errors.js';
import { stringField, type JsonObject } from '../json-fields.js';

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** A git commit id (SHA-1 or SHA-256 object name) under the first of `keys` present, lower-cased. */
export function commitIn(digest: JsonObject | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = stringField(digest, key);
    if (value !== undefined) return COMMIT.test(value) ? value.toLowerCase() : undefined;
  }
  return undefined;
}

/** The ref of a GitLab pipeline from its recorded CI variables: only tag and branch pipelines say. */
export function gitlabRefFromVariables(variables: JsonObject | undefined): string | undefined {
  const tag = unmasked(stringField(variables, 'CI_COMMIT_TAG'));
  if (tag !== undefined) return `refs/tags/${tag}`;
  const branch = unmasked(stringField(variables, 'CI_COMMIT_BRANCH'));
  return branch === undefined ? undefined : `refs/heads/${branch}`;
}

/** GitLab writes masked variables as "[MASKED]": that is no value. */
export function unmasked(value: string | undefined): string | undefined {
  return value === '[MASKED]' ? undefined : value;
}

export function requireString(o: JsonObject | undefined, key: string, path: string, predicateType: string): string {
  const value = stringField(o, key);
  if (value === undefined) {
    throw new ProvenanceError('PROVENANCE_PREDICATE_INVALID', `${predicateType} predicate: expected a non-empty string at ${path}, found none`, {
      details: { path, predicateType },
    });
  }
  return value;
}
