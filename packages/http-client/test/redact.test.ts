import { describe, expect, it } from 'vitest';
import { authorizationSecrets, cleanServerMessage, displayUrl, requestJson } from '../src/index.js';
import { expectHttpError, useServers } from './helpers.js';
import { sendJson } from './local-server.js';

const { serve } = useServers();

describe('cleanServerMessage and displayUrl', () => {
  it('blanks the given secrets and JWT-shaped text, makes one line, cuts at 500 characters', () => {
    const text = cleanServerMessage('bad password hunter2hunter2\nfor eyJhbGciOi.eyJzdWIiOi.c2ln', ['hunter2hunter2']);
    expect(text).toBe('bad password [redacted] for [redacted]');
    expect(cleanServerMessage('x'.repeat(600), []).length).toBe(501);
  });

  it('shows a URL without user info, fragment or secret-looking query values', () => {
    expect(displayUrl(new URL('https://u:p@registry.example/token?scope=repo&access_token=abc#f'))).toBe(
      'https://registry.example/token?scope=repo&access_token=REDACTED',
    );
  });
});

describe('every credential is blanked, whatever its length and encoding', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  it('a short secret withholds the whole message; a long one is cut out as is, base64 (either alphabet, any alignment), percent-encoded, in any case', () => {
    expect(cleanServerMessage('wrong password pw1 given', ['pw1'])).toMatch(/withheld/);
    const secret = 'correct horse/battery+staple?';
    for (const echo of [secret, secret.toUpperCase(), b64(secret), Buffer.from(secret).toString('base64url'), b64(`x${secret}`), b64(`xy${secret}tail`), encodeURIComponent(secret)]) {
      const text = cleanServerMessage(`bad: ${echo} end`, [secret]);
      expect(text).toMatch(/^bad: .*end$/);
      expect(text).not.toContain('horse');
      expect(text.toLowerCase()).not.toContain(b64(secret).slice(4, 16).toLowerCase());
    }
    expect(cleanServerMessage('nothing secret here', ['pw1', secret])).toBe('nothing secret here');
  });

  it('authorizationSecrets: the credential, and for Basic the user:password pair and the password', () => {
    expect(authorizationSecrets(`Basic ${b64('u:p')}`)).toEqual([b64('u:p'), 'u:p', 'p']);
    expect(authorizationSecrets('Bearer abc.def')).toEqual(['abc.def']);
  });

  it('the Authorization sent is blanked from the answer without being listed in redact', async () => {
    const server = await serve((req, res) => sendJson(res, 400, { message: `you sent ${req.headers.authorization} for ${Buffer.from((req.headers.authorization ?? '').slice(6), 'base64')}` }));
    const err = await expectHttpError(requestJson(server.url, { headers: { authorization: `Basic ${b64('ci:a-long-password')}` } }), 'HTTP_STATUS');
    expect(err.serverMessage).toBe('you sent Basic [redacted] for [redacted]');
    const short = await expectHttpError(requestJson(server.url, { headers: { authorization: `Basic ${b64('u:pw')}` } }), 'HTTP_STATUS');
    expect(JSON.stringify([short.message, short.details])).not.toMatch(/dTpwdw|u:pw/i);
  });
});
