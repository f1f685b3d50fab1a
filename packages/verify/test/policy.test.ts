import { describe, expect, it } from 'vitest';
import { PolicyError, certificateIdentity, exact, regexp } from '../src/index.js';
import { checkIdentity, type SignerIdentity } from '../src/check-identity.js';

const gitlab: SignerIdentity = {
  identity: 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
  identityType: 'uri',
  issuer: 'https://gitlab.com',
  extensions: { sourceRepositoryURI: 'https://gitlab.com/my-group/my-project', sourceRepositoryRef: 'refs/heads/main', buildTrigger: 'push' },
};

function failure(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

describe('regular expressions', () => {
  it.each(['^a$', '^(a|b)$', '^https://gitlab\\.com/g/p//.+@refs/tags/v.*$', '^[|]$'])('accepts the anchored %s', (source) => {
    expect(regexp(source, 'identity').kind).toBe('regexp');
  });

  it.each(['a', '^a', 'a$', '^a|b$', '^a\\$', 'https://gitlab.com/g/p'])('refuses the unanchored %s', (source) => {
    expect(failure(() => regexp(source, 'identity')).code).toBe('POLICY_UNANCHORED_REGEXP');
  });

  it('takes an unanchored pattern only when asked to, explicitly', () => {
    expect(regexp('gitlab', 'identity', { allowUnanchoredUnsafe: true }).kind).toBe('regexp');
  });

  it('refuses a pattern that does not compile, in Go RE2 syntax (no backreferences, no lookahead)', () => {
    for (const source of ['^(a$', '^(a)\\1$', '^(?=a)a$']) expect(failure(() => regexp(source, 'identity')).code).toBe('POLICY_INVALID_REGEXP');
  });

  it('proposes the anchored pattern that keeps what the unanchored one meant', () => {
    expect(failure(() => regexp('https://github.com/org/', 'identity')).details?.proposed).toBe('^https://github\\.com/org/.*$');
    expect(failure(() => regexp('https://gitlab.com/g/p$', 'identity')).details?.proposed).toBe('^https://gitlab\\.com/g/p$');
    expect(failure(() => regexp('^https://github\\.com/org/[a-z]+', 'identity')).details?.proposed).toBe('^https://github\\.com/org/[a-z]+.*$');
    expect(failure(() => regexp('a|b', 'identity')).details?.proposed).toBe('^(?:a|b).*$');
    // Each proposal is anchored itself, and matches what the author meant.
    const proposed = failure(() => regexp('https://github.com/org/', 'identity')).details?.proposed as string;
    const matcher = regexp(proposed, 'identity');
    expect(matcher.kind === 'regexp' && matcher.pattern.test('https://github.com/org/repo/.github/workflows/x.yml@refs/heads/main')).toBe(true);
    expect(matcher.kind === 'regexp' && matcher.pattern.test('https://github.com/orgx/')).toBe(false);
  });

  it("Go's RE2 syntax and semantics: Perl classes, Unicode classes, (?i); matching is linear on a hostile value", () => {
    const test = (source: string, value: string) => {
      const m = regexp(source, 'identity');
      return m.kind === 'regexp' && m.pattern.test(value);
    };
    expect(test('^\\pL+@\\w+\\.com$', 'jörg@example.com')).toBe(true);
    expect(test('^(?i)HTTPS://GITLAB\\.COM/.*$', 'https://gitlab.com/x')).toBe(true);
    // (a+)+$ backtracks exponentially in JavaScript's RegExp; RE2 answers at once.
    const started = performance.now();
    expect(test('^(a+)+$', `${'a'.repeat(5000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('certificateIdentity', () => {
  it('needs exactly one of value and regexp for identity and issuer', () => {
    expect(failure(() => certificateIdentity({ issuer: 'x' })).code).toBe('POLICY_IDENTITY_REQUIRED');
    expect(failure(() => certificateIdentity({ identity: 'a', identityRegexp: '^a$', issuer: 'x' })).code).toBe('POLICY_IDENTITY_REQUIRED');
  });

  it('names extensions by title, camelCase name or OID, and refuses unknown ones', () => {
    const id = certificateIdentity({
      identity: 'a',
      issuer: 'b',
      extensions: { 'Source Repository URI': 'u', buildTrigger: 't', '1.3.6.1.4.1.57264.1.14': 'r' },
    });
    expect([...id.extensions.keys()].sort()).toEqual(['buildTrigger', 'sourceRepositoryRef', 'sourceRepositoryURI']);
    expect(failure(() => certificateIdentity({ identity: 'a', issuer: 'b', extensions: { Nope: 'x' } })).code).toBe('POLICY_UNKNOWN_EXTENSION');
  });
});

describe('checkIdentity', () => {
  const exactPolicy = certificateIdentity({ identity: gitlab.identity, issuer: gitlab.issuer!, extensions: { 'Source Repository Ref': 'refs/heads/main' } });

  it('accepts the exact signer', () => {
    expect(() => checkIdentity(gitlab, [exactPolicy])).not.toThrow();
  });

  it('never matches a prefix or an extension of the expected identity', () => {
    for (const identity of [gitlab.identity.slice(0, -1), `${gitlab.identity}x`]) {
      expect(failure(() => checkIdentity({ ...gitlab, identity }, [exactPolicy])).code).toBe('POLICY_IDENTITY_MISMATCH');
    }
  });

  it('shows expected and actual values, and the flags that would match', () => {
    const err = failure(() => checkIdentity(gitlab, [certificateIdentity({ identity: 'https://gitlab.com/my-group/other//.gitlab-ci.yml@refs/heads/main', issuer: 'https://gitlab.com' })]));
    expect(err.code).toBe('POLICY_IDENTITY_MISMATCH');
    expect(err.details).toMatchObject({ actual: { identity: gitlab.identity, issuer: gitlab.issuer } });
    expect(err.hint).toContain(`--certificate-identity ${gitlab.identity}`);
    expect(err.hint).toContain('--certificate-oidc-issuer https://gitlab.com');
  });

  it('reports the issuer, then the extensions', () => {
    expect(failure(() => checkIdentity(gitlab, [certificateIdentity({ identity: gitlab.identity, issuer: 'https://gitlab.example.com' })])).code).toBe('POLICY_ISSUER_MISMATCH');
    expect(failure(() => checkIdentity(gitlab, [certificateIdentity({ identity: gitlab.identity, issuer: gitlab.issuer!, extensions: { buildTrigger: 'schedule' } })])).code).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('accepts when any of several identities matches', () => {
    const wrong = { ...exactPolicy, subjectAlternativeName: exact('nope') };
    expect(() => checkIdentity(gitlab, [wrong, exactPolicy])).not.toThrow();
    expect(() => checkIdentity(gitlab, [{ ...exactPolicy, subjectAlternativeName: regexp('^https://gitlab\\.com/my-group/my-project//.*@refs/heads/main$', 'identity') }])).not.toThrow();
  });
});
