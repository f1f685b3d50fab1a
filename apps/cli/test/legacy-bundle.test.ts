import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase64, derToPem, encodeBase64, encodeHex, utf8Encode } from '@sigil/encoding';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// What `cosign sign-blob --bundle cosign.bundle` wrote before cosign 3 (the seed's GitLab job
// with cosign 2.x), rebuilt from the same material as a real v0.1 bundle.
const dir = join(repoRoot, 'test-infra/fixtures/corpus/java-v01-prod-google');
const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
const v01 = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
const entry = v01.verificationMaterial.tlogEntries[0];
const leaf = decodeBase64(v01.verificationMaterial.x509CertificateChain.certificates[0].rawBytes);

function legacyBundle(edit: (b: any) => void = () => {}): string {
  const bundle = {
    base64Signature: v01.messageSignature.signature,
    cert: encodeBase64(utf8Encode(derToPem(leaf, 'CERTIFICATE'))),
    rekorBundle: {
      SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
      Payload: {
        body: entry.canonicalizedBody,
        integratedTime: Number(entry.integratedTime),
        logIndex: Number(entry.logIndex),
        logID: encodeHex(decodeBase64(entry.logId.keyId)),
      },
    },
  };
  edit(bundle);
  const path = join(mkdtempSync(join(tmpdir(), 'sigil-legacy-')), 'cosign.bundle');
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

const verify = (bundle: string, identity = spec.identity) =>
  runCli(['verify-blob', join(dir, 'artifact'), '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', spec.issuer]);

describe('legacy cosign bundles (cosign 2.x sign-blob --bundle)', () => {
  it('verify like the v0.1 bundle they were made from', async () => {
    const run = await verify(legacyBundle());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('Verified OK\n');
  });

  it('are inspected as cosign-legacy', async () => {
    const run = await runCli(['inspect', legacyBundle()]);
    expect(run.stdout).toContain('cosign-legacy');
    expect(run.stdout).toContain(spec.identity);
  });

  it('fail with a wrong identity', async () => {
    expect(printedCode(await verify(legacyBundle(), `${spec.identity}x`))).toBe('POLICY_IDENTITY_MISMATCH');
  });

  it('fail without their SET, or with a changed one', async () => {
    expect(printedCode(await verify(legacyBundle((b) => delete b.rekorBundle)))).toBe('VERIFY_TLOG_MISSING');
    expect(printedCode(await verify(legacyBundle((b) => (b.rekorBundle.Payload.integratedTime += 1))))).toBe('VERIFY_TLOG_SET_INVALID');
  });

  it('fail with an altered signature', async () => {
    const altered = (b: any) => {
      const sig = decodeBase64(b.base64Signature).slice();
      sig[sig.length - 2]! ^= 1;
      b.base64Signature = encodeBase64(sig);
    };
    expect(printedCode(await verify(legacyBundle(altered)))).toBe('VERIFY_SIGNATURE_INVALID');
  });
});
