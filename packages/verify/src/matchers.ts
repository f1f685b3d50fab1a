import { RE2JS } from 're2js';
import { PolicyError } from './errors.js';

/** A compiled pattern: Go's RE2 syntax, matched in linear time (a RegExp also fits, for callers that build their own). */
export interface Pattern {
  readonly source: string;
  test(value: string): boolean;
}

/** How one certificate value (SAN, issuer, extension) must look. */
export type ValueMatcher = { kind: 'exact'; value: string } | { kind: 'regexp'; pattern: Pattern };

export function exact(value: string): ValueMatcher {
  return { kind: 'exact', value };
}

export interface RegexpOptions {
  /**
   * Accept a pattern without `^` and `$`. An unanchored pattern matches anywhere in the
   * value, so `group/app` also matches `group/app-evil`: opt in only when that is meant.
   */
  allowUnanchoredUnsafe?: boolean;
}

/**
 * A regular-expression matcher in Go's RE2 syntax (what cosign's --certificate-*-regexp
 * flags take), matched as Go's MatchString does (anywhere in the value) in linear time, so a
 * hostile SAN cannot make it backtrack. Refused unless anchored at both ends (or explicitly
 * allowed); the refusal proposes the anchored pattern the author most likely meant.
 */
export function regexp(source: string, what: string, options: RegexpOptions = {}): ValueMatcher {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (err) {
    throw new PolicyError('POLICY_INVALID_REGEXP', `${what} regular expression ${JSON.stringify(source)} does not compile as Go RE2 syntax (${(err as Error).message})`, { cause: err });
  }
  if (!options.allowUnanchoredUnsafe && !isAnchored(source)) {
    const proposed = anchoredProposal(source);
    throw new PolicyError(
      'POLICY_UNANCHORED_REGEXP',
      `${what} regular expression ${JSON.stringify(source)} is not anchored: expected it to start with ^ and end with $, so that it cannot match a longer value`,
      {
        details: { pattern: source, proposed },
        hint: `write ${proposed} (it matches values that start with it; ^.*${proposed.slice(1)} would match it anywhere, as the unanchored pattern does), or opt in to unanchored matching explicitly`,
      },
    );
  }
  return { kind: 'regexp', pattern: { source, test: (value: string) => compiled.matcher(value).find() } };
}

// Characters that make a pattern more than a literal with dots in it.
const SYNTAX = /[\\^$*+?()[\]{}|]/;

/**
 * The anchored pattern an unanchored one most likely meant: a literal such as
 * `https://github.com/org/` becomes `^https://github\.com/org/.*$` (its dots literal, what
 * follows it free); any other pattern is anchored at the start and left open at the end.
 */
export function anchoredProposal(source: string): string {
  if (!SYNTAX.test(source.replace(/^\^/, '').replace(/\$$/, ''))) {
    const body = source.replace(/^\^/, '').replace(/\$$/, '');
    return `^${RE2JS.quote(body)}${source.endsWith('$') ? '' : '.*'}$`;
  }
  const grouped = hasTopLevelAlternation(source) ? `(?:${source.replace(/^\^/, '')})` : source.replace(/^\^/, '');
  const closed = !hasTopLevelAlternation(source) && source.endsWith('$') && !source.endsWith('\\$');
  return `^${grouped}${closed ? '' : '.*$'}`;
}

export function matches(matcher: ValueMatcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return matcher.kind === 'exact' ? matcher.value === value : matcher.pattern.test(value);
}

export function describeMatcher(matcher: ValueMatcher): string {
  return matcher.kind === 'exact' ? JSON.stringify(matcher.value) : `/${matcher.pattern.source}/`;
}

// `$` must not be escaped, and a top-level alternation (a|b) would anchor only its ends.
function isAnchored(source: string): boolean {
  return source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$') && !hasTopLevelAlternation(source);
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      return true;
    }
  }
  return false;
}
