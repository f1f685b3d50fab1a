import { PolicyError } from './errors.js';

/** How one certificate value (SAN, issuer, extension) must look. */
export type ValueMatcher = { kind: 'exact'; value: string } | { kind: 'regexp'; pattern: RegExp };

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

/** A regular-expression matcher, refused unless anchored at both ends (or explicitly allowed). */
export function regexp(source: string, what: string, options: RegexpOptions = {}): ValueMatcher {
  if (!options.allowUnanchoredUnsafe && !isAnchored(source)) {
    throw new PolicyError(
      'POLICY_UNANCHORED_REGEXP',
      `${what} regular expression ${JSON.stringify(source)} is not anchored: expected it to start with ^ and end with $, so that it cannot match a longer value`,
      { details: { pattern: source }, hint: `write ^${source.replace(/^\^/, '').replace(/\$$/, '')}$, or opt in to unanchored matching explicitly` },
    );
  }
  try {
    return { kind: 'regexp', pattern: new RegExp(source, 'u') };
  } catch (err) {
    throw new PolicyError('POLICY_INVALID_REGEXP', `${what} regular expression ${JSON.stringify(source)} does not compile`, { cause: err });
  }
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
