import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBlob } from '@sigil/sign';
import { TrustMaterial } from '@sigil/trust';
import { Verifier, artifactFromBytes, certificateIdentity } from '@sigil/verify';
import { createStack, type Stack } from '../../src/stack/create-stack.js';

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'sigil-stack-'));

beforeAll(async () => {
  stack = await createStack({ dir });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('the local stack, end to end', () => {
  it('signs with Sigil and verifies with Sigil', async () => {
    const trust = TrustMaterial.fromJson(readFileSync(stack.trustedRoot, 'utf8'));
    const token = await stack.mintToken();
    const artifact = new TextEncoder().encode('This is a build artifact\n');
    const result = await signBlob({ kind: 'bytes', bytes: artifact }, { identityToken: token, fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, tsaURL: stack.tsaURL, trust });
    const verified = await new Verifier(trust).verify(result.bundle, artifactFromBytes(artifact), { identities: [certificateIdentity({ identity: result.identity, issuer: result.issuer })] });
    expect(verified.signer?.identity).toBe(result.identity);
    expect(verified.timestamps.map((t) => t.kind).sort()).toEqual(['rfc3161', 'transparency-log']);
  });
});
