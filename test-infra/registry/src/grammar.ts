// The distribution-spec grammar for repository names, tags and (sha256) digests.

const NAME_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Docker's limit on a whole repository name. */
export const MAX_NAME_LENGTH = 255;

export function isRepositoryName(text: string): boolean {
  return text.length <= MAX_NAME_LENGTH && NAME.test(text);
}

export function isTag(text: string): boolean {
  return TAG.test(text);
}

export function isSha256Digest(text: string): boolean {
  return SHA256_DIGEST.test(text);
}
