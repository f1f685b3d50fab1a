import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Verifier, artifactFromBytes, certificateIdentity } from '@sigil/verify';
import { SignError, signBlob } from '../src/index.js';
import { FAST_HTTP, expectSignFailure, useSignFixture } from './sign-fixture.js';

// A streamed artifact is read once; a stream that breaks ends the signing before anything is logged.
const fixture = useSignFixture('stream');


async function* chunksOf(data: Uint8Array, size: number, failAfter = Infinity): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) {
    if (offset >= failAfter) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    yield data.subarray(offset, offset + size);
  }
}

const options = (token: string) => ({ identityToken: token, fulcioURL: fixture().proxy.url, rekorURL: fixture().proxy.url, trust: fixture().trust, http: FAST_HTTP });

describe('a streamed artifact', () => {
  it('is hashed in one pass; the bundle verifies against the bytes', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const progress: number[] = [];
    const token = await fixture().token();
    const signed = await signBlob({ kind: 'stream', chunks: chunksOf(data, 1024 * 1024), onProgress: (bytes) => progress.push(bytes) }, options(token));
    const content = signed.bundle.content;
    expect(content.$case === 'messageSignature' && Buffer.from(content.messageDigest!.digest).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(progress.at(-1)).toBe(data.length);
    await new Verifier(fixture().trust).verify(signed.bundle, artifactFromBytes(data), { identities: [certificateIdentity({ identity: signed.identity, issuer: signed.issuer })] });
  });

  it('that fails midway: SIGN_ARTIFACT_UNREADABLE, nothing logged', async () => {
    const token = await fixture().token();
    const steps: string[] = [];
    const result = signBlob({ kind: 'stream', chunks: chunksOf(randomBytes(4 * 1024 * 1024), 1024 * 1024, 2 * 1024 * 1024) }, { ...options(token), onStep: (step) => steps.push(step) });
    await expectSignFailure(result, SignError, 'SIGN_ARTIFACT_UNREADABLE', token);
    expect(steps).not.toContain('artifact-signed');
    expect(fixture().proxy.count('rekor')).toBe(0);
  });
});
