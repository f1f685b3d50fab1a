import { describe, expect, it } from 'vitest';
import { parseAuthChallenges } from '../src/index.js';
import { expectOciError } from './helpers.js';

describe('parseAuthChallenges', () => {
  it('reads registry 2.8 Basic', () => {
    expect(parseAuthChallenges('Basic realm="test-registry"')).toEqual([{ scheme: 'basic', params: { realm: 'test-registry' } }]);
  });

  it('reads a Docker Hub style Bearer challenge with service and scope', () => {
    const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';
    expect(parseAuthChallenges(header)).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } },
    ]);
  });

  it('is case-insensitive in scheme and parameter names, allows spaces around = and tokens as values', () => {
    expect(parseAuthChallenges('BEARER Realm = "r" , Service=svc,error=insufficient_scope')).toEqual([
      { scheme: 'bearer', params: { realm: 'r', service: 'svc', error: 'insufficient_scope' } },
    ]);
  });

  it('unescapes quoted strings', () => {
    expect(parseAuthChallenges('Basic realm="a \\"quoted\\" \\\\ realm, with comma"')[0]!.params.realm).toBe('a "quoted" \\ realm, with comma');
  });

  it('splits several challenges in one header (headers joined by ", ")', () => {
    const header = 'Negotiate, Basic realm="b", Bearer realm="https://t/token",scope="repository:a:pull repository:b:pull", NTLM abc==';
    expect(parseAuthChallenges(header)).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'b' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', scope: 'repository:a:pull repository:b:pull' } },
      { scheme: 'ntlm', params: {}, token68: 'abc==' },
    ]);
  });

  const bad: [string, string][] = [
    ['', 'empty'],
    ['   ,  ', 'only separators'],
    ['Basic realm="unterminated', 'an unterminated string'],
    ['Basic realm="a\\', 'a trailing backslash'],
    ['Basic =x', 'a parameter without a name'],
    ['Basic realm="a" garbage', 'text after a parameter'],
    ['Basic realm="a", realm="b"', 'a repeated parameter'],
    ['Bearer realm="a"service="b"', 'no comma between parameters'],
    ['"Basic" realm="a"', 'a quoted scheme'],
    ['Basic realm="a\u0001b"', 'a control character'],
    ['Basic realm=a b', 'a token68 after a parameter'],
    ['Bearer abc== def', 'text after a token68'],
    [`Basic realm="${'x'.repeat(9000)}"`, 'an overlong header'],
  ];
  for (const [header, why] of bad) {
    it(`refuses ${why}`, async () => {
      await expectOciError(() => parseAuthChallenges(header), 'OCI_AUTH_CHALLENGE_INVALID');
    });
  }
});
