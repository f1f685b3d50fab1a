import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier as SigstoreJsVerifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { buildTestImage, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli, setCliEnv, tokenIdentity } from './run-cli.js';

// Signing through the stack's Rekor v2 log, selected by its signing_config_rekor_v2.json:
// blobs, attestations, images and sign-bundle, verified by Sigil and (files) by sigstore-js;
// rekor get reading v2 entries from the tiles; rekor verify-log proving the log append-only.
const work = mkdtempSync(join(tmpdir(), 'sigil-rekor-v2-'));
const artifact = join(work, 'artifact.txt');
let stack: Stack;
let registry: OciRegistry;
let identity: string;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  writeFileSync(artifact, 'signed into Rekor v2\n');
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startOciRegistry();
  identity = tokenIdentity(await stack.mintToken());
  // Every command below reads the Rekor v2 signing config and the stack's root from CI variables.
  restoreEnv = setCliEnv({ SIGIL_SIGNING_CONFIG: stack.signingConfigRekorV2, SIGIL_TRUSTED_ROOT: stack.trustedRoot, SIGIL_YES: 'true' });
}, 60_000);
afterAll(async () => {
  restoreEnv?.();
  await registry?.close();
  await stack?.close();
});

const policy = () => ['--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer];

function sigstoreJsVerify(bundle: unknown, data: Buffer | undefined) {
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
  new SigstoreJsVerifier(toTrustMaterial(root)).verify(toSignedEntity(bundleFromJSON(bundle), data), { subjectAlternativeName: identity, extensions: { issuer: stack.oidcIssuer } });
}

describe('sign-blob and attest-blob into Rekor v2', () => {
  const bundlePath = join(work, 'artifact.sigstore.json');
  let bundle: { verificationMaterial: { tlogEntries: Record<string, any>[]; timestampVerificationData: { rfc3161Timestamps: unknown[] } } };

  beforeAll(async () => {
    const signed = await runCli(['sign-blob', artifact, '--bundle', bundlePath, '--identity-token', await stack.mintToken()]);
    expect(signed.code, signed.stderr).toBe(0);
    bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
  }, 60_000);

  it('writes a hashedrekord 0.0.2 entry with proof and checkpoint, no SET, and the timestamp v2 needs; Sigil and sigstore-js verify it', async () => {
    const [entry] = bundle.verificationMaterial.tlogEntries;
    expect(entry!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(entry!.inclusionPromise).toBeUndefined();
    expect(entry!.inclusionProof.checkpoint.envelope).toMatch(/^127\.0\.0\.1\n/);
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    const verified = await runCli(['verify-blob', artifact, '--bundle', bundlePath, ...policy()]);
    expect(verified.code, verified.stderr).toBe(0);
    sigstoreJsVerify(bundle, readFileSync(artifact));
  });

  it('fails for a tampered checkpoint, a proof against another checkpoint, another artifact and a missing timestamp', async () => {
    const variant = async (name: string, change: (b: any) => void) => {
      const copy = structuredClone(bundle) as any;
      change(copy);
      const path = join(work, `${name}.sigstore.json`);
      writeFileSync(path, JSON.stringify(copy));
      return printedCode(await runCli(['verify-blob', artifact, '--bundle', path, ...policy()]));
    };
    expect(await variant('tampered-checkpoint', (b) => (b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope = b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope.replace(/\n(\d+)\n/, (_: string, n: string) => `\n${Number(n) + 1}\n`)))).toBe('VERIFY_TLOG_CHECKPOINT_INVALID');
    // A later entry's checkpoint (another tree) with this entry's proof.
    const other = join(work, 'other.sigstore.json');
    expect((await runCli(['sign-blob', artifact, '--bundle', other, '--identity-token', await stack.mintToken()])).code).toBe(0);
    const later = JSON.parse(readFileSync(other, 'utf8')).verificationMaterial.tlogEntries[0].inclusionProof;
    expect(await variant('other-checkpoint', (b) => {
      const proof = b.verificationMaterial.tlogEntries[0].inclusionProof;
      proof.checkpoint = later.checkpoint;
      proof.treeSize = later.treeSize;
      proof.rootHash = later.rootHash;
    })).toBe('VERIFY_TLOG_PROOF_INVALID');
    expect(await variant('no-timestamp', (b) => (b.verificationMaterial.timestampVerificationData.rfc3161Timestamps = []))).toBe('VERIFY_TIMESTAMP_MISSING');
    const elsewhere = join(work, 'elsewhere.txt');
    writeFileSync(elsewhere, 'another artifact\n');
    expect(printedCode(await runCli(['verify-blob', elsewhere, '--bundle', bundlePath, ...policy()]))).toBe('VERIFY_ARTIFACT_MISMATCH');
  }, 60_000);

  it('attests a blob: the DSSE envelope goes to Rekor v2 as dsse 0.0.2; Sigil and sigstore-js verify it', async () => {
    const predicate = join(work, 'predicate.json');
    writeFileSync(predicate, JSON.stringify({ checked: true }));
    const attestation = join(work, 'artifact.intoto.sigstore.json');
    const signed = await runCli(['attest-blob', artifact, '--predicate', predicate, '--type', 'custom', '--bundle', attestation, '--identity-token', await stack.mintToken()]);
    expect(signed.code, signed.stderr).toBe(0);
    const written = JSON.parse(readFileSync(attestation, 'utf8'));
    expect(written.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'dsse', version: '0.0.2' });
    const verified = await runCli(['verify-blob-attestation', artifact, '--bundle', attestation, '--type', 'custom', ...policy()]);
    expect(verified.code, verified.stderr).toBe(0);
    sigstoreJsVerify(written, undefined);
  }, 60_000);

  it('sign-bundle (the conformance protocol) signs through the signing config it is given', async () => {
    const out = join(work, 'conformance.sigstore.json');
    const run = await runCli(['sign-bundle', '--identity-token', await stack.mintToken(), '--bundle', out, '--signing-config', stack.signingConfigRekorV2, '--trusted-root', stack.trustedRoot, artifact]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).verificationMaterial.tlogEntries[0].kindVersion.version).toBe('0.0.2');
  }, 60_000);
});

describe('signing config selectors, end to end', () => {
  const configWith = (name: string, change: (config: any) => void) => {
    const config = JSON.parse(readFileSync(stack.signingConfigRekorV2, 'utf8'));
    change(config);
    const path = join(work, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  it('tsaConfig ALL over two operators gives two timestamps; EXACT asking for more than there are is refused by name', async () => {
    const all = configWith('tsa-all.json', (c) => {
      c.tsaUrls = [c.tsaUrls[0], { ...c.tsaUrls[0], operator: 'second.local' }];
      c.tsaConfig = { selector: 'ALL' };
    });
    const out = join(work, 'two-timestamps.sigstore.json');
    const signed = await runCli(['sign-blob', artifact, '--bundle', out, '--signing-config', all, '--identity-token', await stack.mintToken()]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(2);

    const exact = configWith('tsa-exact.json', (c) => (c.tsaConfig = { selector: 'EXACT', count: 2 }));
    const refused = await runCli(['sign-blob', artifact, '--bundle', join(work, 'never.json'), '--signing-config', exact, '--identity-token', await stack.mintToken()]);
    expect(printedCode(refused)).toBe('SIGN_OPTIONS_INVALID');
    expect(refused.stderr).toContain(`signing config ${exact}: tsaConfig: selector EXACT asks for 2`);
    const noTsa = configWith('v2-no-tsa.json', (c) => (c.tsaUrls = []));
    expect((await runCli(['sign-blob', artifact, '--bundle', join(work, 'never.json'), '--signing-config', noTsa, '--identity-token', await stack.mintToken()])).stderr).toMatch(/Rekor v2 log .* no timestamp authority/);
  }, 60_000);
});

describe('images through Rekor v2', () => {
  it('signs and attests an image; verify and verify-attestation accept both', async () => {
    const test = buildTestImage({ content: 'rekor v2 image\n' });
    for (const blob of [test.layer.bytes, test.config.bytes]) {
      const upload = await fetch(`${registry.url}/v2/team/v2img/blobs/uploads/?digest=sha256:${createHash('sha256').update(blob).digest('hex')}`, { method: 'POST', body: blob });
      expect(upload.status).toBe(201);
    }
    expect((await fetch(`${registry.url}/v2/team/v2img/manifests/v1`, { method: 'PUT', body: test.manifest, headers: { 'content-type': test.mediaType } })).status).toBe(201);
    const image = `${registry.host}/team/v2img:v1`;
    const signed = await runCli(['sign', image, '--identity-token', await stack.mintToken(), '--allow-insecure-registry']);
    expect(signed.code, signed.stderr).toBe(0);
    const verified = await runCli(['verify', image, ...policy(), '--allow-insecure-registry']);
    expect(verified.code, verified.stderr).toBe(0);
    const predicate = join(work, 'image-predicate.json');
    writeFileSync(predicate, JSON.stringify({ scanned: true }));
    const attested = await runCli(['attest', image, '--predicate', predicate, '--type', 'custom', '--identity-token', await stack.mintToken(), '--allow-insecure-registry']);
    expect(attested.code, attested.stderr).toBe(0);
    const checked = await runCli(['verify-attestation', image, '--type', 'custom', ...policy(), '--allow-insecure-registry']);
    expect(checked.code, checked.stderr).toBe(0);
  }, 90_000);
});

describe('rekor get and rekor verify-log on the Rekor v2 log', () => {
  it('reads an entry from the tiles, proven against the verified checkpoint', async () => {
    const run = await runCli(['rekor', 'get', '--log-index', '0', '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ logIndex: '0', kind: 'hashedrekord', version: '0.0.2', integratedTime: 'none (Rekor v2 records no time)' });
    expect(summary.signers[0].identity).toBe(identity);
    expect(printedCode(await runCli(['rekor', 'get', '--log-index', '100000']))).toBe('VERIFY_TLOG_PROOF_INVALID');
  });

  it('verifies a v2 entry with its inclusion proof as the log check and each certificate at its issuance; a CA not valid then fails it', async () => {
    const run = await runCli(['rekor', 'get', '--log-index', '0', '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).verification).toMatchObject({
      verified: true,
      rekorV2: { logCheck: 'inclusion proof against the signed checkpoint', certificatesCheckedAt: 'their issuance (notBefore)' },
      signedEntryTimestamp: { status: 'not-checked', reason: expect.stringContaining('Rekor v2 signs none') },
      inclusionProof: { status: 'verified' },
      certificateChain: { status: 'verified' },
    });
    const text = await runCli(['rekor', 'get', '--log-index', '0']);
    expect(text.stdout).toContain(`Signer identity:   ${identity} (uri)\n`);
    expect(text.stdout).toContain('Certificate chain: verified to a Fulcio CA of the trusted root at its issuance (Rekor v2 records no time of signing)');
    // The chain is checked for real: with the CAs valid only from 2100 on, the entry is not verified.
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    for (const ca of root.certificateAuthorities) ca.validFor = { start: '2100-01-01T00:00:00Z' };
    const later = join(work, 'later-ca-root.json');
    writeFileSync(later, JSON.stringify(root));
    const refused = await runCli(['rekor', 'get', '--log-index', '0', '--trusted-root', later]);
    expect(refused.code).toBe(1);
    expect(printedCode(refused)).toMatch(/^VERIFY_CERTIFICATE_/);
    expect(refused.stdout).toContain('NOT VERIFIED against the trusted root');
  });

  it('proves a saved checkpoint consistent with a later one, and refuses a forged or foreign one', async () => {
    const saved = join(work, 'checkpoint.txt');
    const first = await runCli(['rekor', 'verify-log', '--save-checkpoint', saved]);
    expect(first.code, first.stderr).toBe(0);
    expect((await runCli(['sign-blob', artifact, '--bundle', join(work, 'more.json'), '--identity-token', await stack.mintToken()])).code).toBe(0);
    const second = await runCli(['rekor', 'verify-log', '--checkpoint', saved]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/is consistent: size (\d+) .* -> size (\d+)/);
    const [, older, newer] = /size (\d+) .* -> size (\d+)/.exec(second.stdout)!;
    expect(Number(newer)).toBeGreaterThan(Number(older));

    const note = readFileSync(saved, 'utf8');
    const forged = join(work, 'forged.txt');
    writeFileSync(forged, note.replace(/\n([A-Za-z0-9+/=]{44})\n/, `\n${Buffer.alloc(32, 7).toString('base64')}\n`));
    expect(printedCode(await runCli(['rekor', 'verify-log', '--checkpoint', forged]))).toBe('VERIFY_TLOG_CHECKPOINT_INVALID');
    const v1 = await runCli(['rekor', 'verify-log', '--signing-config', stack.signingConfig]);
    expect(v1.code).toBe(2);
    expect(v1.stderr).toContain('is a Rekor v1 log');
  }, 60_000);

  it('refuses a --checkpoint file that is missing or over 64 KiB with a typed error, before reading it', async () => {
    const missing = await runCli(['rekor', 'verify-log', '--checkpoint', join(work, 'no-such-checkpoint.txt')]);
    expect(printedCode(missing)).toBe('CLI_FILE_UNREADABLE');
    expect(missing.stderr).toContain('--checkpoint ');
    const large = join(work, 'large-checkpoint.txt');
    writeFileSync(large, 'x'.repeat(64 * 1024 + 1));
    const refused = await runCli(['rekor', 'verify-log', '--checkpoint', large]);
    expect(printedCode(refused)).toBe('CLI_FILE_UNREADABLE');
    expect(refused.stderr).toContain(`expected at most ${64 * 1024} bytes, found ${64 * 1024 + 1}`);
  });
});
