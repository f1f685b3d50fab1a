import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printedCode, repoRoot, runCli, type CliRun } from './run-cli.js';

const example = join(repoRoot, 'examples/rfc8785-wheel');
const artifact = join(example, 'rfc8785-0.1.2-py3-none-any.whl');
const bundle = join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json');
const identity = 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2';
const issuer = 'https://token.actions.githubusercontent.com';
const scratch = mkdtempSync(join(tmpdir(), 'sigil-cli-'));

function file(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const verify = (...extra: string[]) => runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, ...extra]);

function expectClean(run: CliRun) {
  // Errors are one or two readable lines: never a stack trace, never an internal error.
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('internal error');
}

describe('verify-blob', () => {
  it('verifies with the embedded production root and says so on stderr', async () => {
    const run = await verify();
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toBe('Verified OK\n');
  });

  it('prints the signer as JSON with --output json', async () => {
    const run = await verify('--output', 'json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ verified: true, identity, issuer, bundleVersion: '0.2' });
    expect(result.extensions.sourceRepositoryURI).toBe('https://github.com/trailofbits/rfc8785.py');
    expect(result.logIndex).toMatch(/^\d+$/);
    expect(Date.parse(result.integratedTime)).toBeGreaterThan(0);
  });

  it('reads a bundle file saved with a byte-order mark, and names invalid UTF-8 in one as a JSON error', async () => {
    const withBom = file('bom.sigstore.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(bundle)]));
    const run = await runCli(['verify-blob', artifact, '--bundle', withBom, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]);
    expect(run).toMatchObject({ code: 0, stderr: 'Verified OK\n' });
    const broken = file('broken.sigstore.json', Buffer.concat([readFileSync(bundle).subarray(0, 40), Buffer.from([0xff, 0xfe]), readFileSync(bundle).subarray(40)]));
    const refused = await runCli(['verify-blob', artifact, '--bundle', broken, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]);
    expect(refused.code).toBe(1);
    expectClean(refused);
  });

  it('accepts a sha256: digest instead of the file', async () => {
    const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(readFileSync(artifact)).digest('hex')}`;
    const run = await runCli(['verify-blob', digest, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('matches an anchored regexp, refuses an unanchored one unless told to', async () => {
    const anchored = await runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity-regexp', '^https://github\\.com/trailofbits/rfc8785\\.py/.*$', '--certificate-oidc-issuer', issuer]);
    expect(anchored.code, anchored.stderr).toBe(0);
    const unanchored = await runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity-regexp', 'trailofbits', '--certificate-oidc-issuer', issuer]);
    expect(unanchored.code).toBe(2);
    expect(unanchored.stderr).toContain('POLICY_UNANCHORED_REGEXP');
    const optedIn = await runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity-regexp', 'trailofbits', '--certificate-oidc-issuer', issuer, '--unsafe-unanchored-regexp']);
    expect(optedIn.code, optedIn.stderr).toBe(0);
  });

  it('an unanchored pattern is refused with the anchored one proposed; SIGIL_UNSAFE_UNANCHORED_REGEXP=true opts in', async () => {
    const args = ['verify-blob', artifact, '--bundle', bundle, '--certificate-identity-regexp', 'https://github.com/trailofbits/', '--certificate-oidc-issuer', issuer];
    const refused = await runCli(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('write ^https://github\\.com/trailofbits/.*$');
    const proposed = await runCli([...args.slice(0, 5), '^https://github\\.com/trailofbits/.*$', ...args.slice(6)]);
    expect(proposed.code, proposed.stderr).toBe(0);
    expect((await runCli(args, { SIGIL_UNSAFE_UNANCHORED_REGEXP: 'true' })).code).toBe(0);
  });

  it("cosign's --certificate-github-workflow-* flags pin the GitHub extensions", async () => {
    const run = await verify('--certificate-github-workflow-trigger', 'release', '--certificate-github-workflow-repository', 'trailofbits/rfc8785.py', '--certificate-github-workflow-ref', 'refs/tags/v0.1.2');
    expect(run.code, run.stderr).toBe(0);
    const wrong = await verify('--certificate-github-workflow-trigger', 'pull_request');
    expect(wrong.code).toBe(1);
    expect(printedCode(wrong)).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('checks Fulcio extensions by name', async () => {
    expect((await verify('--certificate-extension', 'Source Repository Ref=refs/tags/v0.1.2')).code).toBe(0);
    const wrong = await verify('--certificate-extension', 'sourceRepositoryRef=refs/heads/main');
    expect(wrong.code).toBe(1);
    expect(printedCode(wrong)).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('explains an identity mismatch with both identities and the flags that would match', async () => {
    const run = await runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity.replace('v0.1.2', 'v0.1.3'), '--certificate-oidc-issuer', issuer]);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('POLICY_IDENTITY_MISMATCH');
    expect(run.stderr).toContain(identity.replace('v0.1.2', 'v0.1.3'));
    expect(run.stderr).toContain(`--certificate-identity ${identity} --certificate-oidc-issuer ${issuer}`);
    expectClean(run);
  });

  it('a v0.3 bundle with a certificate chain needs --allow-certificate-chain, as cosign', async () => {
    const staging = join(repoRoot, 'test-infra/fixtures/corpus/py-v03-staging-ghoauth');
    const spec = JSON.parse(readFileSync(join(staging, 'case.json'), 'utf8'));
    const json = JSON.parse(readFileSync(join(staging, 'bundle.json'), 'utf8'));
    const leaf = json.verificationMaterial.certificate;
    delete json.verificationMaterial.certificate;
    json.verificationMaterial.x509CertificateChain = { certificates: [leaf] };
    const chained = file('chained.sigstore.json', JSON.stringify(json));
    const args = ['verify-blob', join(staging, 'artifact'), '--bundle', chained, '--certificate-identity', spec.identity, '--certificate-oidc-issuer', spec.issuer, '--staging'];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(printedCode(refused)).toBe('CLI_CERTIFICATE_CHAIN');
    const allowed = await runCli([...args, '--allow-certificate-chain']);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it('says a bundle from another instance needs its trusted root', async () => {
    const staging = join(repoRoot, 'test-infra/fixtures/corpus/py-v03-staging-ghoauth');
    const spec = JSON.parse(readFileSync(join(staging, 'case.json'), 'utf8'));
    const args = ['verify-blob', join(staging, 'artifact'), '--bundle', join(staging, 'bundle.json'), '--certificate-identity', spec.identity, '--certificate-oidc-issuer', spec.issuer];
    const run = await runCli(args);
    expect(printedCode(run)).toBe('VERIFY_TLOG_UNKNOWN_LOG');
    expect((await runCli([...args, '--staging'])).code).toBe(0);
  });
});

describe('bad input gets a typed error, never a crash', () => {
  const cases: [string, () => string[], number, string][] = [
    ['a bundle that is not JSON', () => ['--bundle', file('bad.json', '{"mediaType":')], 1, 'BUNDLE_INVALID_JSON'],
    ['a bundle of the wrong shape', () => ['--bundle', file('shape.json', '[1,2]')], 1, 'BUNDLE_INVALID_FIELD'],
    ['a bundle with an unknown media type', () => ['--bundle', file('mt.json', '{"mediaType":"application/x-nope"}')], 1, 'BUNDLE_UNSUPPORTED_MEDIA_TYPE'],
    ['a bundle file that does not exist', () => ['--bundle', join(scratch, 'missing.json')], 1, 'CLI_FILE_UNREADABLE'],
    ['a bundle that is a directory', () => ['--bundle', scratch], 1, 'CLI_FILE_UNREADABLE'],
    ['a trusted root that is not JSON', () => ['--bundle', bundle, '--trusted-root', file('root.json', 'nope')], 1, 'TRUST_ROOT_INVALID'],
    ['a trusted root with a broken certificate', () => ['--bundle', bundle, '--trusted-root', file('root2.json', brokenRoot())], 1, 'TRUST_ROOT_INVALID'],
    ['a key file that is not PEM', () => ['--bundle', bundle, '--key', file('key.pem', 'not a key')], 1, 'ENCODING_INVALID_PEM'],
    ['a PEM key that is not a key', () => ['--bundle', bundle, '--key', file('key2.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')], 1, 'CRYPTO_INVALID_KEY'],
  ];

  it.each(cases)('%s', async (_, args, code, errorCode) => {
    const identityFlags = args().includes('--key') ? [] : ['--certificate-identity', identity, '--certificate-oidc-issuer', issuer];
    const run = await runCli(['verify-blob', artifact, ...identityFlags, ...args()]);
    expect(run.code, run.stderr).toBe(code);
    expect(printedCode(run), run.stderr).toBe(errorCode);
    expectClean(run);
  });

  it('an artifact that does not exist', async () => {
    const run = await runCli(['verify-blob', join(scratch, 'nothing'), '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]);
    expect(printedCode(run)).toBe('CLI_FILE_UNREADABLE');
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [[]],
    [['no-such-command']],
    [['verify-blob', artifact, '--no-such-flag']],
    [['verify-blob', artifact, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]],
    [['verify-blob', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]],
    [['verify-blob', artifact, '--bundle', bundle, '--certificate-oidc-issuer', issuer]],
    [['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity]],
    [['verify-blob', 'sha256:abcd', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]],
    [['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--output', 'yaml']],
    [['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--certificate-extension', 'nope']],
    [['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--certificate-extension', 'Unknown Thing=1']],
    [['sign-bundle', '--bundle', 'x', 'y']],
  ])('%j', async (args) => {
    const run = await runCli(args);
    expect(run.code, run.stderr + run.stdout).toBe(2);
    expectClean(run);
  });

  it('prints help for a command', async () => {
    const run = await runCli(['verify-blob', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--certificate-identity');
  });
});

describe('verify-blob --bundle with a detached input', () => {
  it('refuses --rfc3161-timestamp beside --bundle, as cosign does (it was never read, and a missing file verified OK)', async () => {
    const run = await verify('--rfc3161-timestamp', join(scratch, 'no-such-timestamp'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rfc3161-timestamp goes with --signature only');
  });
});

describe('inspect', () => {
  it('shows the signer, its extensions and the log entry', async () => {
    const run = await runCli(['inspect', bundle]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(identity);
    expect(run.stdout).toContain('Source Repository URI: https://github.com/trailofbits/rfc8785.py');
    expect(run.stdout).toMatch(/Log entry: +index \d+, hashedrekord\/0\.0\.1/);
  });

  it('shows a DSSE statement as JSON', async () => {
    const run = await runCli(['inspect', join(repoRoot, 'test-infra/fixtures/corpus/slsa-maven-v2.1.0/bundle.json'), '--output', 'json']);
    const summary = JSON.parse(run.stdout);
    expect(summary.statement.predicateType).toMatch(/^https:\/\/slsa\.dev\/provenance\//);
    expect(summary.statement.subjects.length).toBeGreaterThan(0);
  });

  it('refuses an --output it does not know (it printed text for -o jsn)', async () => {
    const run = await runCli(['inspect', bundle, '--output', 'jsn']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--output: expected json or text, found "jsn"');
    expect((await runCli(['inspect', bundle, '--output', 'text'])).code).toBe(0);
  });
});

function brokenRoot(): string {
  const root = JSON.parse(readFileSync(join(repoRoot, 'test-infra/fixtures/corpus/trusted-roots/prod.json'), 'utf8'));
  root.certificateAuthorities[0].certChain.certificates[0].rawBytes = 'AAAA';
  return JSON.stringify(root);
}
