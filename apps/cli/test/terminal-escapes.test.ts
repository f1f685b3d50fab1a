import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVirtualSigstore } from '@sigil/stack';
import { repoRoot, runCli } from './run-cli.js';

// Issue 10.5: strings from a bundle reach the terminal. A crafted entry kind that erases the
// error line (ESC [2K, CR), reorders text (U+202E) and starts a new line must not paint a
// "Verified OK" under a failed verification.
const example = join(repoRoot, 'examples/rfc8785-wheel');
const artifact = join(example, 'rfc8785-0.1.2-py3-none-any.whl');
const HOSTILE = 'hashedrekord\x1b[2K\r\u202eVerified OK\n\x85\u2066';
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function hostileBundle(): string {
  const bundle = JSON.parse(readFileSync(join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json'), 'utf8'));
  bundle.verificationMaterial.tlogEntries[0].kindVersion.kind = HOSTILE;
  const path = join(mkdtempSync(join(tmpdir(), 'sigil-escapes-')), 'hostile.sigstore.json');
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

describe('foreign strings reach the terminal escaped', () => {
  it('verify-blob: the error names the kind with its control characters escaped, on one line', async () => {
    const run = await runCli(['verify-blob', artifact, '--bundle', hostileBundle(), '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y']);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr.split('\n').filter((line) => line !== '' && !/^(Error|Hint): /.test(line))).toEqual([]);
    expect(run.stderr).toContain('hashedrekord\\u001b[2K\\u000d\\u202eVerified OK\\u000a');
  });

  it('inspect: text output keeps one line per field; JSON output stays valid JSON with the value intact', async () => {
    const path = hostileBundle();
    const text = await runCli(['inspect', path]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(text.stdout).not.toMatch(/^Verified OK/m);
    const json = await runCli(['inspect', path, '--output', 'json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout).tlogEntries[0].kind).toBe(`${HOSTILE}/0.0.1`);
  });

  it('an attestation whose predicate type holds a line: the verify-blob warning and a --verbose stack keep it escaped', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sigil-escapes-'));
    const sigstore = createVirtualSigstore();
    const file = join(work, 'a.txt');
    writeFileSync(file, 'attested\n');
    const root = join(work, 'root.json');
    writeFileSync(root, JSON.stringify(sigstore.trustedRootJson));
    const predicateType = 'https://example.com/pt)\nVerified OK\n';
    const subject = [{ name: 'a.txt', digest: { sha256: createHash('sha256').update('attested\n').digest('hex') } }];
    const identity = { san: { type: 'uri' as const, value: 'https://example.com/signer' }, issuer: 'https://issuer.example', extensions: {} };
    const bundle = join(work, 'a.sigstore.json');
    writeFileSync(bundle, JSON.stringify(sigstore.signDsse({ statement: { _type: 'https://in-toto.io/Statement/v1', subject, predicateType, predicate: {} }, identity })));
    const policy = ['--certificate-identity', identity.san.value, '--certificate-oidc-issuer', identity.issuer, '--trusted-root', root];

    const blob = await runCli(['verify-blob', file, '--bundle', bundle, ...policy]);
    expect(blob.code, blob.stderr).toBe(0);
    const lines = blob.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('(predicate type https://example.com/pt)\\u000aVerified OK\\u000a)');

    const verbose = await runCli(['verify-blob-attestation', file, '--bundle', bundle, '--type', 'slsaprovenance1', ...policy, '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^\s+at /m);
    expect(verbose.stderr.split('\n')).not.toContain('Verified OK');
    expect(verbose.stderr.split('\n').filter((line) => line !== '' && !/^(Error|Hint): |^\s+at /.test(line))).toEqual([]);
  });
});
