import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, lstatSync, symlinkSync, mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier as SigstoreJsVerifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, repoRoot, runCli, type CliRun } from './run-cli.js';

// sign-blob as users run it, against the local stack: every way to name the instance, the
// token and the consent; outputs consistent with the bundle, which verify-blob and sigstore-js
// accept; a failed signing leaves no file behind; and a 1 GiB artifact signs in flat memory.
const work = mkdtempSync(join(tmpdir(), 'sigil-sign-blob-'));
const artifact = join(work, 'artifact.txt');
const CONTENT = 'This is a build artifact\n';
let stack: Stack;
let identity: string;
let issuer: string;

// Variables sign-blob reads; each test sets its own.
const ENV_NAMES = ['SIGSTORE_ID_TOKEN', 'COSIGN_YES', 'SIGIL_YES', 'SIGIL_SIGNING_CONFIG', 'SIGIL_TRUSTED_ROOT', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
const savedEnv = new Map(ENV_NAMES.map((name) => [name, process.env[name]]));
const savedIsTTY = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');

beforeAll(async () => {
  writeFileSync(artifact, CONTENT);
  stack = await createStack({ dir: join(work, 'stack') });
  const claims = claimsOf(await stack.mintToken());
  identity = `https://${claims.ci_config_ref_uri}`;
  issuer = stack.oidcIssuer;
  // In-process runs must meet "no terminal to ask on", whatever runs the tests.
  Object.defineProperty(process.stdin, 'isTTY', { value: undefined, configurable: true });
}, 60_000);
afterAll(async () => {
  if (savedIsTTY) Object.defineProperty(process.stdin, 'isTTY', savedIsTTY);
  else delete (process.stdin as { isTTY?: boolean }).isTTY;
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** A fresh directory for one test's outputs. */
function outputDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
}

/** Runs sigil in process; the token never shows in what it prints. */
async function sigil(args: string[], token?: string): Promise<CliRun> {
  const run = await runCli(args);
  if (token !== undefined) {
    expect(run.stdout).not.toContain(token);
    expect(run.stderr).not.toContain(token);
  }
  return run;
}

/** sign-blob naming the local stack by its signing config and trusted root. */
const signArgs = (bundle: string, ...flags: string[]) => ['sign-blob', artifact, '--bundle', bundle, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, ...flags];

const verifyBlob = (file: string, bundle: string, ...flags: string[]) =>
  sigil(['verify-blob', file, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot, ...flags]);

function sigstoreJsVerify(bundle: unknown, data: Buffer): void {
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
  new SigstoreJsVerifier(toTrustMaterial(root)).verify(toSignedEntity(bundleFromJSON(bundle), data), { subjectAlternativeName: identity, extensions: { issuer } });
}

/** The bundle verifies with verify-blob and with sigstore-js, for the job's identity. */
async function expectVerifies(bundlePath: string): Promise<void> {
  const run = await verifyBlob(artifact, bundlePath);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('Verified OK\n');
  sigstoreJsVerify(JSON.parse(readFileSync(bundlePath, 'utf8')), Buffer.from(CONTENT));
}

describe('sign-blob round trips against the local stack', () => {
  it('with --signing-config, --trusted-root, --identity-token and --yes; the outputs agree with the bundle', async () => {
    const dir = outputDir('flags');
    const [bundle, signature, certificate] = ['artifact.sigstore.json', 'artifact.sig', 'artifact.pem'].map((name) => join(dir, name));
    const token = await stack.mintToken();
    const run = await sigil(
      signArgs(bundle!, '--identity-token', token, '--yes', '--output-signature', signature!, '--output-certificate', certificate!),
      token,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Signed as ${identity}`);
    expect(run.stderr).toMatch(/tlog entry created with index: \d+/);

    const written = JSON.parse(readFileSync(bundle!, 'utf8'));
    expect(written.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(readFileSync(signature!, 'utf8')).toBe(written.messageSignature.signature);
    const pem = readFileSync(certificate!, 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '')).toBe(written.verificationMaterial.certificate.rawBytes);
    expect(written.messageSignature.messageDigest.digest).toBe(createHash('sha256').update(CONTENT).digest('base64'));
    expect(readdirSync(dir).sort()).toEqual(['artifact.pem', 'artifact.sig', 'artifact.sigstore.json']);
    await expectVerifies(bundle!);
  });

  it('with SIGIL_SIGNING_CONFIG, SIGIL_TRUSTED_ROOT, SIGSTORE_ID_TOKEN and COSIGN_YES=true (a GitLab job\'s variables)', async () => {
    const bundle = join(outputDir('env'), 'cosign.bundle');
    const token = await stack.mintToken();
    Object.assign(process.env, { SIGIL_SIGNING_CONFIG: stack.signingConfig, SIGIL_TRUSTED_ROOT: stack.trustedRoot, SIGSTORE_ID_TOKEN: token, COSIGN_YES: 'true' });
    const run = await sigil(['sign-blob', artifact, '--bundle', bundle], token);
    expect(run.code, run.stderr).toBe(0);
    await expectVerifies(bundle);
  });

  it('with --identity-token @FILE and SIGIL_YES=true', async () => {
    const dir = outputDir('token-file');
    const bundle = join(dir, 'cosign.bundle');
    const token = await stack.mintToken();
    writeFileSync(join(dir, 'token.txt'), `${token}\n`);
    process.env.SIGIL_YES = 'true';
    const run = await sigil(signArgs(bundle, '--identity-token', `@${join(dir, 'token.txt')}`), token);
    expect(run.code, run.stderr).toBe(0);
    await expectVerifies(bundle);
  });

  it('with --identity-token FILE (a path, as cosign), --yes=true and COSIGN_* variables for the rest', async () => {
    const dir = outputDir('token-path');
    const bundle = join(dir, 'cosign.bundle');
    const token = await stack.mintToken();
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const env = { COSIGN_SIGNING_CONFIG: stack.signingConfig, COSIGN_TRUSTED_ROOT: stack.trustedRoot, COSIGN_BUNDLE: bundle };
    const run = await runCli(['sign-blob', artifact, '--identity-token', join(dir, 'token'), '--yes=true'], { ...process.env, ...env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(token);
    await expectVerifies(bundle);
  });

  it('an --identity-token that is neither a token nor a file: a usage error that does not echo it', async () => {
    const run = await sigil(signArgs(join(outputDir('token-garbage'), 'b.json'), '--identity-token', 'not-a-token-secret', '--yes'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--identity-token');
    expect(run.stderr).not.toContain('not-a-token-secret');
  });

  it('--oidc-disable-ambient-providers ignores SIGSTORE_ID_TOKEN and says sigil has no interactive flow; --oidc-provider envvar reads it', async () => {
    process.env.SIGSTORE_ID_TOKEN = await stack.mintToken();
    const refused = await sigil(signArgs(join(outputDir('no-ambient'), 'b.json'), '--yes', '--oidc-disable-ambient-providers'));
    expect(refused.code).toBe(1);
    expect(printedCode(refused)).toBe('OIDC_TOKEN_MISSING');
    expect(refused.stderr).toContain('interactive');
    const bundle = join(outputDir('provider-envvar'), 'b.json');
    const run = await sigil(signArgs(bundle, '--yes', '--oidc-provider', 'envvar'));
    expect(run.code, run.stderr).toBe(0);
    const google = await sigil(signArgs(bundle, '--yes', '--oidc-provider', 'google'));
    expect(google.code).toBe(2);
    expect(google.stderr).toContain('--oidc-provider');
  });

  it('signs stdin (-), and verify-blob reads stdin too', async () => {
    const bundle = join(outputDir('stdin'), 'b.json');
    const token = await stack.mintToken();
    const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    const withStdin = async (content: string, args: string[]) => {
      Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(content)]), configurable: true });
      try {
        return await sigil(args, token);
      } finally {
        Object.defineProperty(process, 'stdin', saved);
      }
    };
    const signed = await withStdin(CONTENT, ['sign-blob', '-', '--bundle', bundle, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--identity-token', token, '--yes']);
    expect(signed.code, signed.stderr).toBe(0);
    await expectVerifies(bundle);
    const verifyArgs = ['verify-blob', '-', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot];
    expect((await withStdin(CONTENT, verifyArgs)).code).toBe(0);
    expect((await withStdin('tampered\n', verifyArgs)).code).toBe(1);
  });

  it('a bundle for another artifact or identity does not verify', async () => {
    const dir = outputDir('negative');
    const bundle = join(dir, 'cosign.bundle');
    const token = await stack.mintToken();
    const signed = await sigil(signArgs(bundle, '--identity-token', token, '--yes'), token);
    expect(signed.code, signed.stderr).toBe(0);
    writeFileSync(join(dir, 'other.txt'), 'This is not the build artifact\n');
    expect(printedCode(await verifyBlob(join(dir, 'other.txt'), bundle))).toBe('VERIFY_ARTIFACT_MISMATCH');
    const wrong = await sigil(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', `${identity}x`, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot]);
    expect(wrong.code).toBe(1);
    expect(printedCode(wrong)).toBe('POLICY_IDENTITY_MISMATCH');
  });
});

describe('consent: signing records the identity publicly', () => {
  async function signWithout(dir: string, env: Record<string, string>): Promise<CliRun> {
    const token = await stack.mintToken();
    Object.assign(process.env, env);
    return sigil(signArgs(join(dir, 'cosign.bundle'), '--identity-token', token), token);
  }

  it('without --yes and without a terminal: refused (exit 2), nothing written', async () => {
    const dir = outputDir('no-consent');
    const run = await signWithout(dir, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('COSIGN_YES');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('COSIGN_YES=false and SIGIL_YES=1 do not consent (SIGIL_YES counts only as "true"), COSIGN_YES=maybe is a usage error', async () => {
    for (const env of [{ COSIGN_YES: 'false' }, { SIGIL_YES: '1' }, { COSIGN_YES: 'maybe' }] as Record<string, string>[]) {
      const dir = outputDir(`consent-${Object.keys(env)[0]}-${Object.values(env)[0]}`);
      expect((await signWithout(dir, env)).code).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('COSIGN_YES as cosign reads a bool (true, 1, T, ...) or SIGIL_YES=true: signed', async () => {
    for (const env of [{ COSIGN_YES: 'true' }, { COSIGN_YES: '1' }, { SIGIL_YES: 'true' }] as Record<string, string>[]) {
      const dir = outputDir(`consent-${Object.keys(env)[0]}-${Object.values(env)[0]}`);
      const run = await signWithout(dir, env);
      expect(run.code, run.stderr).toBe(0);
      await expectVerifies(join(dir, 'cosign.bundle'));
      for (const name of Object.keys(env)) delete process.env[name];
    }
  });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('a failed signing writes nothing', () => {
  async function expectNothingWritten(dir: string, extra: string[], token: string, code: string) {
    const outputs = ['--output-signature', join(dir, 'artifact.sig'), '--output-certificate', join(dir, 'artifact.pem')];
    const before = readdirSync(dir).sort();
    const run = await sigil(signArgs(join(dir, 'cosign.bundle'), ...outputs, '--identity-token', token, '--yes', ...extra), token);
    expect(run.code, run.stderr).toBe(1);
    expect(printedCode(run)).toBe(code);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    // No output and no temporary file: only what was there before.
    expect(readdirSync(dir).sort()).toEqual(before);
  }

  it('Rekor down (a closed port): exit 1 with REKOR_CLIENT_HTTP, no bundle, no temporary file', async () => {
    const dir = outputDir('rekor-down');
    await expectNothingWritten(dir, ['--rekor-url', await closedPortUrl()], await stack.mintToken(), 'REKOR_CLIENT_HTTP');
  }, 30_000);

  it('Fulcio down: exit 1 with FULCIO_HTTP, nothing written', async () => {
    const dir = outputDir('fulcio-down');
    await expectNothingWritten(dir, ['--fulcio-url', await closedPortUrl()], await stack.mintToken(), 'FULCIO_HTTP');
  }, 30_000);

  it('an expired token: exit 1 with OIDC_EXPIRED; a bundle already there is left as it was', async () => {
    const dir = outputDir('expired');
    writeFileSync(join(dir, 'cosign.bundle'), 'the previous bundle\n');
    const expired = await stack.mintToken({ issuedAt: new Date(Date.now() - 3600_000) });
    await expectNothingWritten(dir, [], expired, 'OIDC_EXPIRED');
    expect(readFileSync(join(dir, 'cosign.bundle'), 'utf8')).toBe('the previous bundle\n');
  });

  it('a bundle path that cannot be written (a directory): CLI_FILE_UNWRITABLE, no temporary file left beside it', async () => {
    const dir = outputDir('unwritable');
    mkdirSync(join(dir, 'cosign.bundle'));
    const token = await stack.mintToken();
    const run = await sigil(signArgs(join(dir, 'cosign.bundle'), '--identity-token', token, '--yes'), token);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('CLI_FILE_UNWRITABLE');
    expect(readdirSync(dir)).toEqual(['cosign.bundle']);
  });

  it('a later output that cannot be written: none written, a previous bundle kept as it was, no temporary left', async () => {
    for (const [name, certificate] of [
      ['missing-dir', (dir: string) => join(dir, 'no-such-dir', 'artifact.pem')],
      // A directory in the way: refused by name before anything is moved.
      ['dir-in-the-way', (dir: string) => (mkdirSync(join(dir, 'artifact.pem')), join(dir, 'artifact.pem'))],
    ] as const) {
      const dir = outputDir(`later-output-${name}`);
      writeFileSync(join(dir, 'cosign.bundle'), 'the previous bundle\n');
      const pem = certificate(dir);
      const before = readdirSync(dir).sort();
      const token = await stack.mintToken();
      const run = await sigil(signArgs(join(dir, 'cosign.bundle'), '--output-signature', join(dir, 'artifact.sig'), '--output-certificate', pem, '--identity-token', token, '--yes'), token);
      expect(run.code, run.stderr).toBe(1);
      expect(printedCode(run)).toBe('CLI_FILE_UNWRITABLE');
      expect(run.stderr).toContain('artifact.pem');
      expect(readdirSync(dir).sort(), name).toEqual(before);
      expect(readFileSync(join(dir, 'cosign.bundle'), 'utf8')).toBe('the previous bundle\n');
    }
  });

  it('symlinks planted where a temporary might go are never written through', async () => {
    const dir = outputDir('planted-links');
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'not yours\n');
    // The names the temporaries once had (dot, name, pid): predictable to anyone who can write the directory.
    for (const name of ['cosign.bundle', 'artifact.sig']) symlinkSync(victim, join(dir, `.${name}.${process.pid}.tmp`));
    const token = await stack.mintToken();
    const run = await sigil(signArgs(join(dir, 'cosign.bundle'), '--output-signature', join(dir, 'artifact.sig'), '--identity-token', token, '--yes'), token);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('not yours\n');
    expect(lstatSync(join(dir, 'cosign.bundle')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'cosign.bundle'), 'utf8')).mediaType).toMatch(/bundle/);
    expect(readdirSync(dir).sort()).toEqual([`.artifact.sig.${process.pid}.tmp`, `.cosign.bundle.${process.pid}.tmp`, 'artifact.sig', 'cosign.bundle']);
  });

  it('a token from an issuer the signing config does not name: OIDC_UNKNOWN_ISSUER', async () => {
    const dir = outputDir('unknown-issuer');
    const config = JSON.parse(readFileSync(stack.signingConfig, 'utf8'));
    for (const service of config.oidcUrls) service.url = 'https://gitlab.com';
    writeFileSync(join(work, 'gitlab-only-signing-config.json'), JSON.stringify(config));
    const token = await stack.mintToken();
    const run = await sigil(['sign-blob', artifact, '--bundle', join(dir, 'cosign.bundle'), '--signing-config', join(work, 'gitlab-only-signing-config.json'), '--trusted-root', stack.trustedRoot, '--identity-token', token, '--yes'], token);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('OIDC_UNKNOWN_ISSUER');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the identity token never travels in plain http to a host that is not loopback', () => {
  // 0.0.0.0 is not loopback, yet it reaches this 127.0.0.1 server: before the fix, the token arrived.
  let seen: string[];
  let server: HttpServer;
  let plainUrl: string;
  beforeAll(async () => {
    seen = [];
    server = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    plainUrl = `http://0.0.0.0:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const withConfig = (edit: (config: { caUrls: { url: string }[]; tsaUrls?: { url: string }[] }) => void) => {
    const config = JSON.parse(readFileSync(stack.signingConfig, 'utf8'));
    edit(config);
    const file = join(work, `plain-http-config-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(config));
    return ['--signing-config', file];
  };
  it.each([
    ['--fulcio-url', () => ['--fulcio-url', plainUrl]],
    ['--timestamp-server-url', () => ['--timestamp-server-url', `${plainUrl}/api/v1/timestamp`]],
    ['a signing config CA URL', () => withConfig((c) => c.caUrls.forEach((s) => (s.url = plainUrl)))],
    ['a signing config TSA URL', () => withConfig((c) => (c.tsaUrls ?? []).forEach((s) => (s.url = `${plainUrl}/api/v1/timestamp`)))],
  ])('%s: refused as plain http, nothing sent, nothing written', async (_name, flags) => {
    const dir = outputDir(`plain-http-${randomBytes(4).toString('hex')}`);
    const token = await stack.mintToken();
    const run = await sigil([...signArgs(join(dir, 'cosign.bundle'), '--identity-token', token, '--yes'), ...flags()], token);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('expected https, found plain http to a host that is not loopback');
    expect(seen).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

// The built CLI in child processes: a real process without a terminal, and peak memory of its own.
describe('the built sigil in a child process', () => {
  const GIB = 1024 ** 3;
  const MIB = 1024 * 1024;
  const dir = join(work, 'child');
  const sigilBin = join(dir, 'sigil.cjs');
  const probe = join(dir, 'rss-probe.cjs');

  beforeAll(async () => {
    mkdirSync(dir);
    await promisify(execFile)(process.execPath, [join(repoRoot, 'apps/cli/build.mjs')]);
    // A private copy: other test files rebuild dist/ while this one runs.
    copyFileSync(join(repoRoot, 'apps/cli/dist/sigil.cjs'), sigilBin);
    // The peak resident set of the process it is loaded into, written when it exits (getrusage: what /usr/bin/time -f %M reports).
    writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.SIGIL_RSS_OUT, String(process.resourceUsage().maxRSS)));\n");
  }, 120_000);

  /** Runs the built sigil with a 200 MB heap, stdin not a terminal; its exit code, stderr and peak RSS in bytes. */
  function childSigil(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; peakRss: number }> {
    const rssOut = join(dir, `rss-${randomBytes(4).toString('hex')}`);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--max-old-space-size=200', '--require', probe, sigilBin, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: work, SIGIL_RSS_OUT: rssOut, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, peakRss: existsSync(rssOut) ? Number(readFileSync(rssOut, 'utf8')) * 1024 : NaN }));
    });
  }

  it('without --yes and without a terminal: refused with exit 2', async () => {
    const bundle = join(dir, 'refused.sigstore.json');
    const run = await childSigil(signArgs(bundle), {
      SIGSTORE_ID_TOKEN: await stack.mintToken(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('COSIGN_YES');
    expect(existsSync(bundle)).toBe(false);
  });

  /** Sparse, but real data throughout: a random MiB at a random place in every 64 MiB, and at the very end. */
  function writeSparseGiB(path: string): void {
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, GIB);
      for (let offset = 0; offset < GIB; offset += 64 * MIB) writeSync(fd, randomBytes(MIB), 0, MIB, offset + randomBytes(2).readUInt16BE() * 16);
      writeSync(fd, randomBytes(MIB), 0, MIB, GIB - MIB);
    } finally {
      closeSync(fd);
    }
  }

  async function sha256Of(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * MIB })) hash.update(chunk as Buffer);
    return hash.digest('base64');
  }

  it('signs a 1 GiB artifact under 250 MiB of peak memory, hashing every byte; the bundle verifies', async () => {
    const big = join(dir, 'artifact.bin');
    const bundle = join(dir, 'artifact.bin.sigstore.json');
    writeSparseGiB(big);
    try {
      const token = await stack.mintToken({ expiresIn: 600 });
      const started = performance.now();
      const signed = await childSigil(['sign-blob', big, '--bundle', bundle, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot], {
        SIGSTORE_ID_TOKEN: token,
        COSIGN_YES: 'true',
      });
      const seconds = (performance.now() - started) / 1000;
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stderr).not.toContain(token);
      expect(signed.peakRss, `peak RSS ${(signed.peakRss / MIB).toFixed(0)} MiB in ${seconds.toFixed(1)} s`).toBeLessThan(250 * MIB);

      const written = JSON.parse(readFileSync(bundle, 'utf8'));
      expect(written.messageSignature.messageDigest.digest).toBe(await sha256Of(big));
      const verified = await childSigil(['verify-blob', big, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot], {});
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stderr).toBe('Verified OK\n');
    } finally {
      rmSync(big, { force: true });
    }
  }, 120_000);
});
