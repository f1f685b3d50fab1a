import { readdirSync, readFileSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// Real bundles from the public-good instance (test-infra/fixtures/corpus/SOURCE.md): each must
// verify with its own identity and issuer, and fail with a wrong one, including values that
// are a prefix of the real one or extend it (what an unanchored match would accept).
const corpus = join(repoRoot, 'test-infra/fixtures/corpus');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, 'case.json')))
  .map((e) => e.name)
  .sort();

interface Case {
  trustedRoot: string;
  identity: string;
  issuer: string;
}

function argsFor(name: string, identity?: string, issuer?: string, artifactOverride?: string): string[] {
  const dir = join(corpus, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
  const root = ['prod', 'staging'].includes(spec.trustedRoot) ? join(corpus, 'trusted-roots', `${spec.trustedRoot}.json`) : join(dir, spec.trustedRoot);
  const artifact = artifactOverride ?? (existsSync(join(dir, 'artifact')) ? join(dir, 'artifact') : readFileSync(join(dir, 'digest.txt'), 'utf8').trim());
  return [
    'verify-blob', artifact,
    '--bundle', join(dir, 'bundle.json'),
    '--certificate-identity', identity ?? spec.identity,
    '--certificate-oidc-issuer', issuer ?? spec.issuer,
    '--trusted-root', root,
  ];
}

const specOf = (name: string) => JSON.parse(readFileSync(join(corpus, name, 'case.json'), 'utf8')) as Case;
const changeLast = (s: string) => s.slice(0, -1) + (s.endsWith('x') ? 'y' : 'x');

describe('real public-good bundles', () => {
  it('has all 33 cases', () => expect(cases).toHaveLength(33));

  it.each(cases)('%s verifies with its identity and issuer', async (name) => {
    const run = await runCli(argsFor(name));
    expect(run.code, run.stderr).toBe(0);
  });

  it.each(cases)('%s fails with a wrong identity (changed, truncated, extended)', async (name) => {
    const { identity } = specOf(name);
    for (const wrong of [changeLast(identity), identity.slice(0, -1), `${identity}x`]) {
      const run = await runCli(argsFor(name, wrong));
      expect(run.code, run.stderr).toBe(1);
      expect(printedCode(run)).toBe('POLICY_IDENTITY_MISMATCH');
    }
  });

  it.each(cases)('%s fails with a wrong issuer (changed, truncated)', async (name) => {
    const { issuer } = specOf(name);
    for (const wrong of [changeLast(issuer), issuer.slice(0, -1)]) {
      const run = await runCli(argsFor(name, undefined, wrong));
      expect(run.code, run.stderr).toBe(1);
      expect(printedCode(run)).toBe('POLICY_ISSUER_MISMATCH');
    }
  });

  it.each(cases.filter((name) => existsSync(join(corpus, name, 'artifact'))))('%s fails when one artifact byte changes', async (name) => {
    let bytes = readFileSync(join(corpus, name, 'artifact'));
    if (bytes.length === 0) bytes = Buffer.from([0]);
    else bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const tampered = join(mkdtempSync(join(tmpdir(), 'sigil-corpus-')), 'artifact');
    writeFileSync(tampered, bytes);
    const run = await runCli(argsFor(name, undefined, undefined, tampered));
    expect(run.code, run.stderr).toBe(1);
    expect(['VERIFY_SIGNATURE_INVALID', 'VERIFY_ARTIFACT_MISMATCH']).toContain(printedCode(run));
  });
});
