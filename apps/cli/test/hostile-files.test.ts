import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, setCliEnv, withProcessEnv, type CliRun } from './run-cli.js';

// "No untyped error from any command on any input": every file a command reads, given a file
// that is not what it expects, ends in a typed error (usage 2, failure 1), never in
// 'internal error' or a stack trace. Offline only: each row fails before any service is asked.

const scratch = mkdtempSync(join(tmpdir(), 'sigil-hostile-'));
const write = (name: string, content: string | Uint8Array): string => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};
const garbagePem = (label: string) => `-----BEGIN ${label}-----\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n-----END ${label}-----\n`;

/** Recreated before each row: output flags in other tests must not turn them into something else. */
function hostileFiles(): Record<string, string> {
  const dir = join(scratch, 'a-directory');
  mkdirSync(dir, { recursive: true });
  rmSync(join(scratch, 'missing'), { force: true });
  return {
    'a missing path': join(scratch, 'missing'),
    'a directory': dir,
    '/dev/null': '/dev/null',
    'an empty file': write('empty', ''),
    'random bytes': write('random', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7919 + 13) % 256))),
    'non-UTF-8 bytes': write('latin1', Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d])),
    'a garbage PUBLIC KEY': write('public.pem', garbagePem('PUBLIC KEY')),
    'a garbage CERTIFICATE': write('certificate.pem', garbagePem('CERTIFICATE')),
    'a garbage EC PRIVATE KEY': write('ec.pem', garbagePem('EC PRIVATE KEY')),
    'a garbage ENCRYPTED SIGSTORE PRIVATE KEY': write('sigstore.key', garbagePem('ENCRYPTED SIGSTORE PRIVATE KEY')),
    'JSON null': write('null.json', 'null'),
    'a JSON array': write('array.json', '[]'),
    'JSON nested 5000 deep': write('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`),
  };
}

const wheel = join(repoRoot, 'examples/rfc8785-wheel/rfc8785-0.1.2-py3-none-any.whl');
const wheelBundle = `${wheel}.sigstore.json`;
const identity = ['--certificate-identity', 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2', '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com'];
const managedKey = join(repoRoot, 'test-infra/fixtures/conformance/bundle-verify/managed-key-and-trusted-root');
const npm = join(repoRoot, 'test-infra/fixtures/corpus/go-npm-provenance-sigstore-2.0.0');
const prodRoot = join(repoRoot, 'test-infra/fixtures/corpus/trusted-roots/prod.json');
const cosignKey = join(repoRoot, 'packages/keys/test/fixtures/cosign/pemcosignkey.pem');
const signature = Buffer.alloc(64, 1).toString('base64');
const out = () => join(scratch, 'out.json');
// Services on a closed loopback port, so that signing never asks TUF for a signing config.
const services = ['--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', 'http://127.0.0.1:9'];
// A JWT-shaped token: every signing row below fails on its file before Fulcio would be asked.
const token = ['{"alg":"RS256"}', '{"iss":"https://issuer.example","sub":"a@b.c","email":"a@b.c","email_verified":true,"aud":"sigstore","exp":4000000000}']
  .map((part) => Buffer.from(part).toString('base64url'))
  .concat('c2ln')
  .join('.');

/** A command with one file replaced by a hostile one. */
const ROWS: Record<string, (file: string) => string[]> = {
  'verify-blob ARTIFACT': (f) => ['verify-blob', f, '--bundle', wheelBundle, ...identity],
  'verify-blob --bundle': (f) => ['verify-blob', wheel, '--bundle', f, ...identity],
  'verify-blob --trusted-root': (f) => ['verify-blob', wheel, '--bundle', wheelBundle, ...identity, '--trusted-root', f],
  'verify-blob --key': (f) => ['verify-blob', join(managedKey, '../../a.txt'), '--bundle', join(managedKey, 'bundle.sigstore.json'), '--key', f, '--trusted-root', join(managedKey, 'trusted_root.json')],
  'verify-blob --certificate': (f) => ['verify-blob', wheel, '--signature', signature, '--certificate', f, '--insecure-ignore-tlog', ...identity],
  'verify-blob --signature': (f) => ['verify-blob', wheel, '--signature', f, '--key', join(managedKey, 'key.pub'), '--insecure-ignore-tlog'],
  'verify-blob --rfc3161-timestamp': (f) => ['verify-blob', wheel, '--signature', signature, '--key', join(managedKey, 'key.pub'), '--insecure-ignore-tlog', '--rfc3161-timestamp', f],
  'verify-blob-attestation --bundle': (f) => ['verify-blob-attestation', wheel, '--bundle', f, '--type', 'custom', ...identity],
  'verify-bundle --bundle': (f) => ['verify-bundle', '--bundle', f, ...identity, wheel],
  'verify-npm --attestations': (f) => ['verify-npm', join(npm, 'artifact'), '--attestations', f, '--trusted-root', prodRoot],
  'verify-npm --packument': (f) => ['verify-npm', join(npm, 'artifact'), '--attestations', join(npm, 'bundle.json'), '--trusted-root', prodRoot, '--packument', f],
  'inspect BUNDLE': (f) => ['inspect', f],
  'public-key --key': (f) => ['public-key', '--key', f],
  'import-key-pair --key': (f) => ['import-key-pair', '--key', f, '--output-key-prefix', join(scratch, 'imported'), '--yes'],
  'sign-blob --key': (f) => ['sign-blob', wheel, '--bundle', out(), '--key', f, ...services, '--yes'],
  'sign-blob --identity-token': (f) => ['sign-blob', wheel, '--bundle', out(), '--identity-token', f, ...services, '--yes'],
  'sign-blob --signing-config': (f) => ['sign-blob', wheel, '--bundle', out(), '--identity-token', token, '--signing-config', f, '--yes'],
  'attest-blob --statement': (f) => ['attest-blob', wheel, '--statement', f, '--bundle', out(), '--identity-token', token, ...services, '--yes'],
  'rekor get --trusted-root': (f) => ['rekor', 'get', '--log-index', '1', '--trusted-root', f],
  'initialize --root': (f) => ['initialize', '--mirror', 'http://127.0.0.1:9', '--root', f],
  '--output-file': (f) => ['version', '--output-file', f],
};

/** Parsed values (a duration, an integer) that are not what the flag reads; they may also be taken (exit 0). */
const HOSTILE_VALUES = ['a\nb', '-5s', `${'9'.repeat(400)}h`, '\u001b[2J', '99999999999999999999999999999', '-1'];
const VALUE_FLAGS = ['--timeout', '--max-workers'];

/** cosign's variables naming trust files, read by verification from the environment. */
const ENV_ROWS = ['SIGSTORE_ROOT_FILE', 'SIGSTORE_REKOR_PUBLIC_KEY', 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE', 'SIGSTORE_TSA_CERTIFICATE_FILE', 'SIGIL_TRUSTED_ROOT'];

// Files a test writes, and a TUF cache, stay in the scratch directory.
let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = setCliEnv({ TUF_ROOT: join(scratch, 'tuf'), COSIGN_PASSWORD: 'hello' });
});
afterAll(() => restoreEnv());

function expectTyped(run: CliRun, codes: readonly number[], kind: string) {
  const said = `${kind}: exit ${run.code}, ${run.stderr}`;
  expect(run.stderr, said).not.toContain('internal error');
  expect(run.stderr, said).not.toMatch(/^\s+at /m);
  expect(codes, said).toContain(run.code);
}

describe('hostile files: each ends in a typed error', () => {
  it.each(Object.entries(ROWS))('%s', async (name, args) => {
    for (const [kind, file] of Object.entries(hostileFiles())) {
      const run = await runCli(args(file));
      // --output-file writes to /dev/null and creates a missing file: that is success.
      const codes = name === '--output-file' ? [0, 1] : [1, 2];
      expectTyped(run, codes, kind);
    }
  });

  it.each(VALUE_FLAGS)('verify-blob %s', async (flag) => {
    for (const value of HOSTILE_VALUES) expectTyped(await runCli(['verify-blob', wheel, '--bundle', wheelBundle, ...identity, flag, value]), [0, 2], JSON.stringify(value));
  });

  it.each(ENV_ROWS)('%s (verify-blob)', async (variable) => {
    for (const [kind, file] of Object.entries(hostileFiles())) {
      const run = await withProcessEnv({ [variable]: file }, () => runCli(['verify-blob', wheel, '--bundle', wheelBundle, ...identity]));
      expectTyped(run, [1, 2], kind);
    }
  });
});
