import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@sigil/crypto';
import { decodeBase64, decodePemBlocks, utf8Encode } from '@sigil/encoding';
import { generateEphemeralSigner } from '@sigil/keys';
import { createStack, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, Verifier } from '@sigil/verify';
import { detachedBundle } from '../src/detached/detached-bundle.js';
import { printedCode, runCli, tokenIdentity } from './run-cli.js';

// cosign 2 style material (a .sig and a .pem beside the artifact, no bundle): the log entry is
// found by content in the stack's Rekor and verified like a bundle's.
const work = mkdtempSync(join(tmpdir(), 'sigil-detached-'));
let stack: Stack;
let identity: string;
const content = utf8Encode('release artifact\n');

interface Signed {
  signature: Uint8Array;
  certificates: Uint8Array[];
}

async function signDetached(name: string, bytes: Uint8Array): Promise<Signed> {
  const file = join(work, name);
  writeFileSync(file, bytes);
  const token = await stack.mintToken();
  const run = await runCli(['sign-blob', file, '--bundle', `${file}.bundle`, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--identity-token', token, '--yes', '--output-signature', `${file}.sig`, '--output-certificate', `${file}.pem`]);
  expect(run.code).toBe(0);
  return {
    signature: decodeBase64(readFileSync(`${file}.sig`, 'utf8').trim()),
    certificates: decodePemBlocks(readFileSync(`${file}.pem`, 'utf8')).map((b) => b.der),
  };
}

beforeAll(async () => {
  stack = await createStack({ dir: join(work, 'stack') });
  identity = tokenIdentity(await stack.mintToken());
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});

const policy = () => ({ identities: [certificateIdentity({ identity, issuer: stack.oidcIssuer })] });
const verifier = () => new Verifier(loadTrustMaterialFile(stack.trustedRoot));

describe('detachedBundle', () => {
  it('finds the entry by content and the assembled bundle verifies (body, SET, proof, certificate at the integrated time)', async () => {
    const signed = await signDetached('a.txt', content);
    const bundle = await detachedBundle({ ...signed, sha256: sha256(content) }, { url: stack.rekorURL });
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    const result = await verifier().verify(bundle, artifactFromBytes(content), policy());
    expect(result.signer?.identity).toBe(identity);
  });

  it('another artifact: the signature does not verify, and the log is not asked', async () => {
    const signed = await signDetached('b.txt', utf8Encode('b'));
    await expect(detachedBundle({ ...signed, sha256: sha256(utf8Encode('not b')) }, { url: stack.rekorURL })).rejects.toMatchObject({ code: 'VERIFY_SIGNATURE_INVALID' });
  });

  it("another signing's certificate: the signature does not verify with it", async () => {
    const first = await signDetached('c.txt', utf8Encode('c'));
    const second = await signDetached('d.txt', utf8Encode('d'));
    await expect(detachedBundle({ signature: first.signature, certificates: second.certificates, sha256: sha256(utf8Encode('c')) }, { url: stack.rekorURL })).rejects.toMatchObject({
      code: 'VERIFY_SIGNATURE_INVALID',
    });
  });

  it('a good signature that was never logged: no entry is found', async () => {
    const signer = generateEphemeralSigner();
    const bytes = utf8Encode('never logged');
    const signature = await signer.sign(bytes);
    await expect(detachedBundle({ signature, publicKey: signer.publicKey, sha256: sha256(bytes) }, { url: stack.rekorURL })).rejects.toMatchObject({ code: 'CLI_TLOG_ENTRY_NOT_FOUND' });
  });

  it('without a log lookup the bundle has no entry and verification fails closed', async () => {
    const signed = await signDetached('e.txt', utf8Encode('e'));
    const bundle = await detachedBundle({ ...signed, sha256: sha256(utf8Encode('e')) }, undefined);
    await expect(verifier().verify(bundle, artifactFromBytes(utf8Encode('e')), policy())).rejects.toMatchObject({ code: expect.stringMatching(/^VERIFY_/) });
  });
});

describe('verify-blob --signature, cosign 2 style', () => {
  const verify = (file: string, ...flags: string[]) =>
    runCli(['verify-blob', join(work, file), '--rekor-url', stack.rekorURL, '--trusted-root', stack.trustedRoot, ...flags]);
  const keyless = (name: string) => ['--signature', join(work, `${name}.sig`), '--certificate', join(work, `${name}.pem`), '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer];

  it("sign-blob's --output-signature and --output-certificate verify with the entry looked up; the base64 inline too, and with the bundle's timestamp", async () => {
    await signDetached('f.txt', utf8Encode('f'));
    const ok = await verify('f.txt', ...keyless('f.txt'), '--output', 'json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('Verified OK');
    const inline = await verify('f.txt', ...keyless('f.txt').map((v) => (v.endsWith('.sig') ? readFileSync(v, 'utf8').trim() : v)));
    expect(inline.code, inline.stderr).toBe(0);

    const stamp = JSON.parse(readFileSync(join(work, 'f.txt.bundle'), 'utf8')).verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp;
    writeFileSync(join(work, 'f.tsr.json'), JSON.stringify({ SignedRFC3161Timestamp: stamp }));
    const stamped = await verify('f.txt', ...keyless('f.txt'), '--rfc3161-timestamp', join(work, 'f.tsr.json'), '--output', 'json');
    expect(stamped.code, stamped.stderr).toBe(0);
    const kinds = (JSON.parse(stamped.stdout).timestamps as { kind: string }[]).map((t) => t.kind).sort();
    expect(kinds).toEqual([...JSON.parse(ok.stdout || '{"timestamps":[]}').timestamps.map((t: { kind: string }) => t.kind), 'rfc3161'].sort());

    // Another signature's timestamp does not stand for this one.
    await signDetached('g.txt', utf8Encode('g'));
    const otherStamp = JSON.parse(readFileSync(join(work, 'g.txt.bundle'), 'utf8')).verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp;
    writeFileSync(join(work, 'g.tsr.json'), JSON.stringify({ SignedRFC3161Timestamp: otherStamp }));
    const mixed = await verify('f.txt', ...keyless('f.txt'), '--rfc3161-timestamp', join(work, 'g.tsr.json'));
    expect(mixed.code).toBe(1);
    expect(printedCode(mixed)).toMatch(/^VERIFY_/);
  });

  it('a --certificate file holding the PEM in base64 (as cosign sign-blob --output-certificate writes it) verifies too', async () => {
    await signDetached('b64.txt', utf8Encode('b64'));
    writeFileSync(join(work, 'b64.txt.pem'), Buffer.from(readFileSync(join(work, 'b64.txt.pem'))).toString('base64'));
    const run = await verify('b64.txt', ...keyless('b64.txt'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Verified OK');
  });

  it('another artifact, another certificate, another identity, no entry: each fails typed', async () => {
    await signDetached('h.txt', utf8Encode('h'));
    await signDetached('i.txt', utf8Encode('i'));
    const otherArtifact = await verify('i.txt', ...keyless('h.txt'));
    expect(printedCode(otherArtifact)).toBe('VERIFY_SIGNATURE_INVALID');
    const otherCertificate = await verify('h.txt', '--signature', join(work, 'h.txt.sig'), '--certificate', join(work, 'i.txt.pem'), '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer);
    expect(printedCode(otherCertificate)).toBe('VERIFY_SIGNATURE_INVALID');
    const otherIdentity = await verify('h.txt', ...keyless('h.txt').map((v) => (v === identity ? 'https://gitlab.com/someone/else//.gitlab-ci.yml@refs/heads/main' : v)));
    expect(printedCode(otherIdentity)).toMatch(/^POLICY_/);
    const noCertificate = await verify('h.txt', '--signature', join(work, 'h.txt.sig'), '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer);
    expect(noCertificate.code).toBe(2);
    expect(noCertificate.stderr).toContain('expected --certificate FILE (keyless) or --key');
  });

  it('--key with --signature: a logged key signature verifies; one signed without a log entry is not found', async () => {
    const saved = process.env.COSIGN_PASSWORD;
    process.env.COSIGN_PASSWORD = 'detached-key-password';
    try {
      const prefix = join(work, 'k');
      expect((await runCli(['generate-key-pair', '--output-key-prefix', prefix])).code).toBe(0);
      writeFileSync(join(work, 'k.txt'), 'k');
      const sign = (name: string, ...flags: string[]) =>
        runCli(['sign-blob', join(work, 'k.txt'), '--key', `${prefix}.key`, '--yes', '--bundle', join(work, `${name}.json`), '--output-signature', join(work, `${name}.sig`), '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, ...flags]);
      expect((await sign('logged')).code).toBe(0);
      const ok = await verify('k.txt', '--key', `${prefix}.pub`, '--signature', join(work, 'logged.sig'));
      expect(ok.code, ok.stderr).toBe(0);
      expect((await sign('unlogged', '--tlog-upload=false')).code).toBe(0);
      const missing = await verify('k.txt', '--key', `${prefix}.pub`, '--signature', join(work, 'unlogged.sig'));
      expect(printedCode(missing)).toBe('CLI_TLOG_ENTRY_NOT_FOUND');
    } finally {
      if (saved === undefined) delete process.env.COSIGN_PASSWORD;
      else process.env.COSIGN_PASSWORD = saved;
    }
  });

  it('an Ed25519 key is refused by name: its signature covers the artifact, and no entry can be looked up by digest', async () => {
    writeFileSync(join(work, 'ed25519.pub'), generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
    writeFileSync(join(work, 'ed25519.sig'), Buffer.alloc(64, 1).toString('base64'));
    writeFileSync(join(work, 'ed.txt'), 'an artifact');
    const refused = await verify('ed.txt', '--key', join(work, 'ed25519.pub'), '--signature', join(work, 'ed25519.sig'));
    expect(printedCode(refused)).toBe('VERIFY_KEY_MATERIAL');
    expect(refused.stderr).toContain('expected an ECDSA or RSA key, found Ed25519');
  });
});

describe('opt-outs with a certificate', () => {
  const verify = (file: string, ...flags: string[]) =>
    runCli(['verify-blob', join(work, file), '--trusted-root', stack.trustedRoot, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, '--output', 'json', ...flags]);

  it('--insecure-ignore-tlog: no Rekor lookup, the certificate checked at the current time, with warnings; --insecure-ignore-sct skips the SCT', async () => {
    await signDetached('o.txt', utf8Encode('o'));
    const detached = ['--signature', join(work, 'o.txt.sig'), '--certificate', join(work, 'o.txt.pem')];
    // No log to look in: the lookup would fail, so passing shows it was not made.
    const lax = await verify('o.txt', ...detached, '--rekor-url', 'http://127.0.0.1:1', '--insecure-ignore-tlog');
    expect(lax.code, lax.stderr).toBe(0);
    expect(lax.stderr).toContain('WARNING: --insecure-ignore-tlog: the transparency log was not checked');
    expect(lax.stderr).toContain('the certificate is checked at the current time');
    const json = JSON.parse(lax.stdout);
    expect(json.skipped).toEqual(['transparency log']);
    expect(json.timestamps.map((t: { kind: string }) => t.kind)).toEqual(['current-time']);

    const sct = await verify('o.txt', '--bundle', join(work, 'o.txt.bundle'), '--insecure-ignore-sct');
    expect(sct.code, sct.stderr).toBe(0);
    expect(sct.stderr).toContain('WARNING: --insecure-ignore-sct');
    expect(JSON.parse(sct.stdout).skipped).toEqual(['certificate transparency (SCT)']);
    const strict = await verify('o.txt', '--bundle', join(work, 'o.txt.bundle'));
    expect(JSON.parse(strict.stdout).skipped).toEqual([]);
    expect(strict.stderr).not.toContain('WARNING');

    // A trusted root without the CT log: the SCT cannot verify, and only the opt-out passes.
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    root.ctlogs = [];
    const noCt = join(work, 'no-ct-root.json');
    writeFileSync(noCt, JSON.stringify(root));
    expect(printedCode(await runCli(['verify-blob', join(work, 'o.txt'), '--bundle', join(work, 'o.txt.bundle'), '--trusted-root', noCt, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer]))).toMatch(/^VERIFY_SCT/);
    const waived = await runCli(['verify-blob', join(work, 'o.txt'), '--bundle', join(work, 'o.txt.bundle'), '--trusted-root', noCt, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, '--insecure-ignore-sct']);
    expect(waived.code, waived.stderr).toBe(0);

    // As cosign: with --insecure-ignore-tlog the bundle's entries are not read, so a log the
    // trusted root does not list (a private instance's) is no failure; the bundle's timestamp still is verified.
    const noTlog = join(work, 'no-tlog-root.json');
    writeFileSync(noTlog, JSON.stringify({ ...JSON.parse(readFileSync(stack.trustedRoot, 'utf8')), tlogs: [] }));
    const unlisted = ['verify-blob', join(work, 'o.txt'), '--bundle', join(work, 'o.txt.bundle'), '--trusted-root', noTlog, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, '--output', 'json'];
    expect(printedCode(await runCli(unlisted))).toBe('VERIFY_TLOG_UNKNOWN_LOG');
    const ignored = await runCli([...unlisted, '--insecure-ignore-tlog']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(JSON.parse(ignored.stdout).tlogEntries).toEqual([]);
    expect(JSON.parse(ignored.stdout).timestamps.map((t: { kind: string }) => t.kind)).toEqual(['rfc3161']);
  });
});

describe('--ca-roots and --ca-intermediates: a private CA instead of the trusted root\'s', () => {
  const pem = (der: string) => `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

  it('verifies a bundle against the stack\'s Fulcio chain given as PEM files, with a trusted root holding no CA; another CA\'s root fails', async () => {
    await signDetached('ca.txt', utf8Encode('ca'));
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    const chain: string[] = root.certificateAuthorities[0].certChain.certificates.map((c: { rawBytes: string }) => c.rawBytes);
    const tsaChain: string[] = root.timestampAuthorities[0].certChain.certificates.map((c: { rawBytes: string }) => c.rawBytes);
    writeFileSync(join(work, 'ca-roots.pem'), pem(chain.at(-1)!));
    writeFileSync(join(work, 'ca-intermediates.pem'), chain.slice(0, -1).map(pem).join(''));
    writeFileSync(join(work, 'other-roots.pem'), pem(tsaChain.at(-1)!));
    root.certificateAuthorities = [];
    const noCa = join(work, 'no-ca-root.json');
    writeFileSync(noCa, JSON.stringify(root));
    const verify = (...flags: string[]) =>
      runCli(['verify-blob', join(work, 'ca.txt'), '--bundle', join(work, 'ca.txt.bundle'), '--trusted-root', noCa, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, '--output', 'json', ...flags]);

    const none = await verify();
    expect(printedCode(none), none.stderr).toMatch(/^VERIFY_CERTIFICATE_UNTRUSTED/);
    const intermediates = chain.length > 1 ? ['--ca-intermediates', join(work, 'ca-intermediates.pem')] : [];
    const ok = await verify('--ca-roots', join(work, 'ca-roots.pem'), ...intermediates);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`WARNING: --ca-roots: the signing certificate was checked against the CAs of ${join(work, 'ca-roots.pem')}`);
    const json = JSON.parse(ok.stdout);
    expect(json.trust.certificateAuthorities).toEqual({ from: '--ca-roots', roots: join(work, 'ca-roots.pem'), ...(intermediates.length ? { intermediates: intermediates[1] } : {}) });
    expect(json.skipped).toEqual([]);

    const other = await verify('--ca-roots', join(work, 'other-roots.pem'), ...intermediates);
    expect(printedCode(other), other.stderr).toMatch(/^VERIFY_CERTIFICATE_UNTRUSTED/);
    const alone = await verify('--ca-intermediates', join(work, 'ca-intermediates.pem'));
    expect(alone.stderr).toContain('Error: --ca-intermediates goes with --ca-roots');
    const attestation = await runCli(['verify-blob-attestation', join(work, 'ca.txt'), '--bundle', join(work, 'ca.txt.bundle'), '--trusted-root', noCa, '--ca-roots', join(work, 'other-roots.pem'), '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer]);
    expect(attestation.stderr).toContain('WARNING: --ca-roots');
  });
});
