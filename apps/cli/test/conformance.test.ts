import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// The sigstore-conformance suite's offline verification cases, run the way upstream runs
// them (test-infra/fixtures/conformance/SOURCE.md): every case with the artifact file and
// again with its sha256: digest; a case must fail exactly when its name ends in "_fail".
const suite = join(repoRoot, 'test-infra/fixtures/conformance/bundle-verify');
const DEFAULT_IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

const cases = readdirSync(suite, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function argsFor(name: string, variant: 'path' | 'digest'): string[] {
  const dir = join(suite, name);
  const file = (f: string) => join(dir, f);
  const artifact = existsSync(file('artifact')) ? file('artifact') : join(suite, 'a.txt');
  const args = ['verify-bundle', '--bundle', file('bundle.sigstore.json')];
  if (existsSync(file('key.pub'))) {
    args.push('--key', file('key.pub'));
  } else {
    const read = (f: string, fallback: string) => (existsSync(file(f)) ? readFileSync(file(f), 'utf8').trim() : fallback);
    args.push('--certificate-identity', read('identity', DEFAULT_IDENTITY), '--certificate-oidc-issuer', read('issuer', DEFAULT_ISSUER));
  }
  if (existsSync(file('trusted_root.json'))) args.push('--trusted-root', file('trusted_root.json'));
  args.push(variant === 'path' ? artifact : `sha256:${createHash('sha256').update(readFileSync(artifact)).digest('hex')}`);
  return args;
}

describe('sigstore-conformance bundle-verify', () => {
  it('has all 70 cases', () => {
    expect(cases).toHaveLength(70);
  });

  describe.each(['path', 'digest'] as const)('%s', (variant) => {
    it.each(cases)('%s', async (name) => {
      const run = await runCli(argsFor(name, variant));
      if (name.endsWith('_fail')) {
        // A rejection must be a typed verification failure, never a usage error or a crash.
        expect(run.code, run.stderr).toBe(1);
        expect(printedCode(run), run.stderr).toMatch(/^[A-Z0-9]+_[A-Z0-9_]+$/);
      } else {
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toContain('Verified OK');
      }
    });
  });
});
