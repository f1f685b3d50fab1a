import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPublicKeyPem } from '@sigil/crypto';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, Verifier } from '../src/index.js';
import { repoRoot } from './corpus.js';
import { clone, setAt, type Json } from './mutate.js';

// A real key-signed bundle (sigstore-conformance managed-key-happy-path) stripped of its RFC 3161
// timestamp and of its entry's SET: the inclusion proof still verifies, but nothing gives a time.
const fixtures = join(repoRoot, 'test-infra/fixtures');
const dir = join(fixtures, 'conformance/bundle-verify/managed-key-happy-path');
const bundle = JSON.parse(readFileSync(join(dir, 'bundle.sigstore.json'), 'utf8')) as Json;
const artifact = artifactFromBytes(new Uint8Array(readFileSync(join(fixtures, 'conformance/a.txt'))));
const policy = { publicKey: importPublicKeyPem(readFileSync(join(dir, 'key.pub'), 'utf8')) };
const rootJson = JSON.parse(readFileSync(join(fixtures, 'corpus/trusted-roots/prod.json'), 'utf8')) as Json;
const withoutTime = setAt(setAt(bundle, 'verificationMaterial.tlogEntries.0.inclusionPromise', undefined), 'verificationMaterial.timestampVerificationData', undefined);

async function codeOf(verifier: Verifier, input: Json): Promise<string | undefined> {
  try {
    await verifier.verify(JSON.stringify(input), artifact, policy);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe("withoutVerifiedTime 'none' (key-signed bundles)", () => {
  it('accepts the bundle when its log entries are not read', async () => {
    const verifier = new Verifier(TrustMaterial.fromJson(rootJson), { withoutVerifiedTime: 'none', ignoreTlogEntries: true });
    expect(await codeOf(verifier, withoutTime)).toBeUndefined();
  });

  it('still needs a time to check the keys of the logs whose entries it reads', async () => {
    // The log's key only becomes valid in the far future: no time could vouch for the entry.
    const root = clone(rootJson);
    for (const log of root.tlogs) log.publicKey.validFor.start = '2999-01-01T00:00:00Z';
    const verifier = new Verifier(TrustMaterial.fromJson(root), { withoutVerifiedTime: 'none' });
    expect(await codeOf(verifier, withoutTime)).toBe('VERIFY_TIMESTAMP_MISSING');
  });
});
