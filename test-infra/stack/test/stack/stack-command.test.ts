import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// `pnpm -s stack up/token` as a user runs it: a separate process on loopback, stopped by a signal.
const run = promisify(execFile);
const stackDir = new URL('../../', import.meta.url).pathname;
const binary = join(stackDir, 'dist/stack.mjs');

beforeAll(async () => {
  await run(process.execPath, [join(stackDir, 'build.mjs')]);
}, 120_000);

async function up(state: string): Promise<{ description: Record<string, string>; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [binary, 'up', '--state', state], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stack up exited with ${code}`)));
  });
  return {
    description: JSON.parse(line),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

describe('stack up / stack token', () => {
  it('prints stack.json as one line, writes the files clients need, and stops on SIGTERM', async () => {
    const state = mkdtempSync(join(tmpdir(), 'sigil-stack-up-'));
    const { description, stop } = await up(state);
    expect(Object.keys(description).sort()).toEqual(['fulcioURL', 'oidcIssuer', 'rekorURL', 'rekorV2URL', 'signingConfig', 'signingConfigRekorV2', 'trustedRoot', 'tsaURL']);
    expect(description.fulcioURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(readFileSync(join(state, 'stack.json'), 'utf8'))).toEqual(description);
    expect(JSON.parse(readFileSync(description.trustedRoot!, 'utf8')).mediaType).toMatch(/trustedroot/);
    expect(JSON.parse(readFileSync(description.signingConfig!, 'utf8')).mediaType).toMatch(/signingconfig/);
    expect(JSON.parse(readFileSync(description.signingConfigRekorV2!, 'utf8')).rekorTlogUrls).toEqual([expect.objectContaining({ url: description.rekorV2URL, majorApiVersion: 2 })]);
    expect((await fetch(`${description.rekorV2URL}/api/v2/checkpoint`)).status).toBe(200);
    const discovery = (await (await fetch(`${description.oidcIssuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(description.oidcIssuer);

    const { stdout } = await run(process.execPath, [binary, 'token', '--state', state, '--claims', '{"project_path":"acme/app"}']);
    const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: description.oidcIssuer, aud: 'sigstore', project_path: 'acme/app' });
    expect(await stop()).toBe(0);
  }, 60_000);

  it('keeps the same keys, URLs and log on a second start over the same state dir', async () => {
    const state = mkdtempSync(join(tmpdir(), 'sigil-stack-again-'));
    const first = await up(state);
    const rootBefore = readFileSync(first.description.trustedRoot!, 'utf8');
    await first.stop();
    const second = await up(state);
    expect(second.description).toEqual(first.description);
    expect(readFileSync(second.description.trustedRoot!, 'utf8')).toBe(rootBefore);
    await second.stop();
  }, 60_000);

  it('keeps private keys readable by the owner only', async () => {
    const state = mkdtempSync(join(tmpdir(), 'sigil-stack-keys-'));
    const { stop } = await up(state);
    await stop();
    const { stdout } = await run('find', [state, '-name', '*.pem']);
    const keys = stdout.trim().split('\n').filter((p) => /key[^/]*\.pem$/.test(p));
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect((statSync(key).mode & 0o777).toString(8)).toBe('600');
  }, 60_000);

  it('refuses bad arguments with usage', async () => {
    await expect(run(process.execPath, [binary, 'up'])).rejects.toMatchObject({ code: 2 });
    await expect(run(process.execPath, [binary, 'token', '--state', '/nonexistent', '--kind', 'nope'])).rejects.toMatchObject({ code: 2 });
  });
});
