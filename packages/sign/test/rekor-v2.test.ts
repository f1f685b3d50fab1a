import { describe, expect, it } from 'vitest';
import { utf8Encode } from '@sigil/encoding';
import { signDsse, SignError } from '../src/index.js';
import { rewriteAnswer } from './faults.js';
import { FAST_HTTP, useSignFixture } from './sign-fixture.js';

// Signing into the stack's Rekor v2 log through the fault proxy: a log that no longer takes DSSE
// requests (rekor-tiles since June 2026) gets a hashedrekord over the PAE instead, and an answer
// whose body is not what was sent is refused.
const fixture = useSignFixture('rekor-v2');

const statement = utf8Encode(
  JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: 'a'.repeat(64) } }], predicateType: 'https://example.com/p', predicate: {} }),
);

const v2Options = () => ({
  identityToken: '',
  fulcioURL: fixture().proxy.url,
  transparencyLogs: [{ url: `${fixture().proxy.url}/rekor-v2`, majorApiVersion: 2 as const }],
  tsaURL: `${fixture().proxy.url}/api/v1/timestamp`,
  trust: fixture().trust,
  http: FAST_HTTP,
});

describe('signDsse into Rekor v2', () => {
  it('logs dsse 0.0.2, or hashedrekord 0.0.2 over the PAE when the log refuses DSSE requests', async () => {
    const direct = await signDsse(statement, { ...v2Options(), identityToken: await fixture().token() });
    expect(direct.bundle.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'dsse', version: '0.0.2' });

    fixture().proxy.plan('rekor', [(exchange) => exchange.reply(400, { 'content-type': 'application/json' }, '{"code":3,"message":"invalid type, must be hashedrekord"}')]);
    const fallback = await signDsse(statement, { ...v2Options(), identityToken: await fixture().token() });
    expect(fallback.bundle.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(fixture().proxy.count('rekor')).toBe(2);
  }, 60_000);

  it('refuses an answer whose canonical body is not the entry sent', async () => {
    fixture().proxy.plan('rekor', [], rewriteAnswer((answer) => ({ ...answer, canonicalizedBody: Buffer.from('{"apiVersion":"0.0.2","kind":"dsse","spec":{}}').toString('base64') })));
    const failure = await signDsse(statement, { ...v2Options(), identityToken: await fixture().token() }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SignError);
    expect((failure as SignError).code).toBe('SIGN_LOG_ENTRY_MISMATCH');
  }, 60_000);

  it('refuses to sign into Rekor v2 without a timestamp authority', async () => {
    const { tsaURL: _none, ...noTsa } = v2Options();
    const failure = await signDsse(statement, { ...noTsa, identityToken: await fixture().token() }).catch((err: unknown) => err);
    expect((failure as SignError).code).toBe('SIGN_OPTIONS_INVALID');
    expect((failure as SignError).message).toMatch(/needs an RFC 3161 timestamp|records no signed time/);
  });
});
