import { describe, expect, it } from 'vitest';
import { OidcError, type OidcErrorCode } from '@sigil/oidc';
import { SignError } from '../src/index.js';
import { expectSignFailure, exposed, useSignFixture } from './sign-fixture.js';

// A token Fulcio would refuse is refused before Fulcio is asked: each with its own code, no
// request leaves the machine, and the token shows nowhere in the error.
const fixture = useSignFixture('preflight');


const HOUR_MS = 3600_000;

async function expectRefusedBeforeFulcio(token: string, code: OidcErrorCode, options: { knownIssuers?: string[] } = {}) {
  const { steps, result } = fixture().sign(token, options);
  const err = await expectSignFailure(result, OidcError, code, token);
  expect(err.hint, 'every pre-flight failure says how to fix it').toBeTruthy();
  expect(fixture().proxy.hits).toEqual([]);
  expect(steps).toEqual([]);
  return err;
}

describe('the leak check', () => {
  it('sees a token anywhere in an error: a cause\'s details, a hint', async () => {
    const token = await fixture().token();
    const payload = token.split('.')[1]!;
    expect(exposed(new SignError('SIGN_OPTIONS_INVALID', 'outer', { cause: new OidcError('OIDC_AUDIENCE', 'inner', { details: { token } }) }))).toContain(token);
    expect(exposed(new OidcError('OIDC_AUDIENCE', 'x', { hint: `use ${payload}` }))).toContain(payload);
  });
});

describe('pre-flight: the token is checked before Fulcio is contacted', () => {
  it('accepts the stack\'s GitLab job token (the control case)', async () => {
    const token = await fixture().token();
    const { steps, result } = fixture().sign(token);
    expect((await result).identity).toMatch(/^https:\/\//);
    expect(steps.at(-1)).toBe('bundle-verified');
    expect(fixture().proxy.count('fulcio')).toBe(1);
  });

  it('refuses a token for another audience, naming the id_tokens block', async () => {
    const err = await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { aud: 'gitlab' } }), 'OIDC_AUDIENCE');
    expect(err.hint).toContain('id_tokens');
    expect(err.details).toMatchObject({ expected: 'sigstore' });
  });

  it('refuses a token whose audience list lacks sigstore', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { aud: ['gitlab', 'vault'] } }), 'OIDC_AUDIENCE');
  });

  it('refuses an expired token', async () => {
    const token = await fixture().stack.mintToken({ issuedAt: new Date(Date.now() - HOUR_MS), expiresIn: 300 });
    await expectRefusedBeforeFulcio(token, 'OIDC_EXPIRED');
  });

  it('refuses a token without an expiry', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { exp: null } }), 'OIDC_CLAIM_MISSING');
  });

  it('refuses a token not yet valid (nbf an hour ahead)', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { nbf: Math.floor((Date.now() + HOUR_MS) / 1000) } }), 'OIDC_NOT_YET_VALID');
  });

  it('refuses a token issued in the future (a clock an hour behind)', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ issuedAt: new Date(Date.now() + HOUR_MS) }), 'OIDC_NOT_YET_VALID');
  });

  it('refuses an issuer the signing config does not know', async () => {
    const err = await expectRefusedBeforeFulcio(await fixture().token(), 'OIDC_UNKNOWN_ISSUER', { knownIssuers: ['https://gitlab.com'] });
    expect(err.details).toMatchObject({ expected: ['https://gitlab.com'] });
  });

  it('refuses a GitLab token without ci_config_ref_uri (configuration from outside the project)', async () => {
    const token = await fixture().stack.mintToken({ claims: { ci_config_ref_uri: null, pipeline_source: 'parent_pipeline' } });
    const err = await expectRefusedBeforeFulcio(token, 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT');
    expect(err.hint).toContain('id_tokens');
  });

  it('refuses a GitLab token without project_path', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { project_path: null } }), 'OIDC_CLAIM_MISSING');
  });

  it('refuses a token without a subject', async () => {
    await expectRefusedBeforeFulcio(await fixture().stack.mintToken({ claims: { sub: null } }), 'OIDC_CLAIM_MISSING');
  });

  describe('malformed tokens', () => {
    const cases: [string, (token: string) => string][] = [
      ['not a JWT at all', () => 'not-a-token'],
      ['two parts', (token) => token.split('.').slice(0, 2).join('.')],
      ['no signature', (token) => `${token.split('.').slice(0, 2).join('.')}.`],
      ['a payload that is not JSON', (token) => [token.split('.')[0], Buffer.from('{"iss": ').toString('base64url'), token.split('.')[2]].join('.')],
      ['characters outside base64url', (token) => token.replace('.', '.%')],
      ['alg none', (token) => [Buffer.from('{"alg":"none"}').toString('base64url'), ...token.split('.').slice(1)].join('.')],
      ['five parts (an encrypted token)', (token) => `${token}.abc.def`],
      ['longer than any real token', (token) => `${token.split('.')[0]}.${'A'.repeat(70_000)}.${token.split('.')[2]}`],
    ];
    it.each(cases)('refuses %s', async (_name, damage) => {
      const token = damage(await fixture().token());
      await expectRefusedBeforeFulcio(token, 'OIDC_TOKEN_MALFORMED');
    });
  });

  it('refuses to start without the services or the trust material (SIGN_OPTIONS_INVALID)', async () => {
    const token = await fixture().token();
    for (const missing of [{ fulcioURL: '' }, { rekorURL: undefined as unknown as string }, { trust: undefined as never }]) {
      const { steps, result } = fixture().sign(token, missing);
      await expectSignFailure(result, SignError, 'SIGN_OPTIONS_INVALID', token);
      expect(steps).toEqual([]);
    }
    expect(fixture().proxy.hits).toEqual([]);
  });
});
