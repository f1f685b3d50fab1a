import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCommand } from '../src/commands.js';
import { ROOT_FLAGS } from '../src/flag-sets/root.js';
import { COSIGN_ALIASES } from '../src/flags/aliases.js';
import { parseFlags } from '../src/flags/parse.js';
import { formatGoDuration, parseCsvRecord, parseGoBool, parseGoDuration, parseGoInt } from '../src/flags/values.js';
import { repoRoot, runCli } from './run-cli.js';

const sign = [...findCommand('sign')!.flags, ...ROOT_FLAGS];
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseFlags(argv, sign, { aliases: COSIGN_ALIASES, env });

describe('values as Go reads them', () => {
  it('booleans: every strconv.ParseBool spelling, nothing else', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false);
    for (const bad of ['yes', 'tRUE', '', ' true', '2']) expect(parseGoBool(bad)).toBeUndefined();
  });

  it('durations and integers', () => {
    expect(parseGoDuration('3m0s')).toBe(180_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('90')).toBeUndefined();
    // A line break is not a duration (it was read past, and the parser crashed on it).
    for (const bad of ['a\nb', '5s\n', '\n5s']) expect(parseGoDuration(bad)).toBeUndefined();
    // Go's durations end at 2^63 ns (about 292 years): beyond is an error, not Infinity.
    expect(parseGoDuration('2562047h')).toBe(2_562_047 * 3_600_000);
    expect(parseGoDuration('2562048h')).toBeUndefined();
    expect(parseGoDuration(`${'9'.repeat(400)}s`)).toBeUndefined();
    expect(formatGoDuration(180_000)).toBe('3m0s');
    expect(parseGoInt('10')).toBe(10);
    expect(parseGoInt('0x10')).toBe(16);
    expect(parseGoInt('ten')).toBeUndefined();
  });

  it('string slices split as encoding/csv does', () => {
    expect(parseCsvRecord('a=b,c=d')).toEqual(['a=b', 'c=d']);
    expect(parseCsvRecord('"a=b,c",d=e')).toEqual(['a=b,c', 'd=e']);
    expect(parseCsvRecord('a"b')).toBeUndefined();
  });
});

describe('argv as cobra and pflag read it', () => {
  it('booleans with =value, bare, and chained shorthands; --flag value and --flag=value', () => {
    expect(parse(['--yes=false']).values.yes).toBe(false);
    expect(parse(['--yes=1']).values.yes).toBe(true);
    expect(parse(['--yes', 'IMAGE']).values.yes).toBe(true);
    expect(parse(['--yes', 'IMAGE']).positionals).toEqual(['IMAGE']);
    const chained = parse(['-yrd', 'IMAGE']);
    expect(chained.values).toMatchObject({ yes: true, recursive: true, verbose: true });
    expect(parse(['-y=false']).values.yes).toBe(false);
    expect(parse(['--bundle', 'b.json']).values.bundle).toBe('b.json');
    expect(parse(['--bundle=b.json']).values.bundle).toBe('b.json');
    expect(parse(['-t', '5m']).values.timeout).toBe(300_000);
    expect(parse(['-t5m']).values.timeout).toBe(300_000);
    expect(() => parse(['--yes=maybe'])).toThrow(/invalid argument "maybe" for --yes/);
    expect(() => parse(['--bundle'])).toThrow(/flag needs an argument: --bundle/);
    expect(() => parse(['--no-such-flag'])).toThrow(/unknown flag: --no-such-flag/);
  });

  it('-a splits on commas and repeats; flags and positionals interleave; -- ends flags', () => {
    const parsed = parse(['IMG1', '-a', 'a=b,c=d', 'IMG2', '--annotations=e=f', '--', '--yes']);
    expect(parsed.values.annotations).toEqual(['a=b', 'c=d', 'e=f']);
    expect(parsed.positionals).toEqual(['IMG1', 'IMG2', '--yes']);
    expect(parsed.values.yes).toBeUndefined();
    expect(parse(['-']).positionals).toEqual(['-']);
  });

  it("cosign's aliases: --cert-identity is --certificate-identity", () => {
    const verify = [...findCommand('verify')!.flags, ...ROOT_FLAGS];
    const parsed = parseFlags(['--cert-identity', 'me', '--cert-oidc-issuer=https://i'], verify, { aliases: COSIGN_ALIASES, env: {} });
    expect(parsed.values).toMatchObject({ 'certificate-identity': 'me', 'certificate-oidc-issuer': 'https://i' });
  });

  it('reads no variable per flag when none has the COSIGN_ or SIGIL_ prefix (each read of process.env is a call into C++)', () => {
    const read: string[] = [];
    const env = new Proxy({ PATH: '/usr/bin', HOME: '/home/ci' } as NodeJS.ProcessEnv, {
      get: (target, name) => {
        if (typeof name === 'string') read.push(name);
        return target[name as string];
      },
    });
    expect(parse(['--yes'], env).values.yes).toBe(true);
    expect(read).toEqual([]);
    // A lower-case prefix counts (Windows reads names in any case); the lookups then run as before.
    expect(parse([], { cosign_yes: '1', COSIGN_YES: '1' }).values.yes).toBe(true);
  });

  it('COSIGN_<FLAG> fills what the command line left out; the command line wins; empty is unset', () => {
    expect(parse([], { COSIGN_YES: '1' }).values.yes).toBe(true);
    expect(parse(['--yes=false'], { COSIGN_YES: 'true' }).values.yes).toBe(false);
    expect(parse([], { COSIGN_ANNOTATIONS: 'a=b,c=d' }).values.annotations).toEqual(['a=b', 'c=d']);
    expect(parse([], { COSIGN_TIMEOUT: '10s' }).values.timeout).toBe(10_000);
    expect(parse([], { COSIGN_REKOR_URL: '' }).values['rekor-url']).toBeUndefined();
    expect(parse([], { COSIGN_LEGACY_FORMAT: 'true' }).values['legacy-format']).toBeUndefined();
    expect(parse([], { SIGIL_LEGACY_FORMAT: 'true' }).values['legacy-format']).toBe(true);
    expect(() => parse([], { COSIGN_YES: 'y' })).toThrow(/COSIGN_YES \(--yes\)/);
  });
});

describe('help, completion, version', () => {
  it('sigil CMD --help and sigil help CMD list every flag with its description, default and variable, and examples', async () => {
    const help = await runCli(['sign', '--help']);
    expect(help.code).toBe(0);
    for (const spec of findCommand('sign')!.flags) expect(help.stdout).toContain(`--${spec.name}`);
    expect(help.stdout).toContain('env COSIGN_YES');
    expect(help.stdout).toContain('default "https://fulcio.sigstore.dev"');
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('-t, --timeout duration');
    expect((await runCli(['help', 'sign'])).stdout).toBe(help.stdout);
  });

  it('completion scripts for the four shells; the bash one parses', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const run = await runCli(['completion', shell]);
      expect(run.code, shell).toBe(0);
      expect(run.stdout).toContain('verify-blob-attestation');
      expect(run.stdout).toContain('certificate-identity');
    }
    const dir = mkdtempSync(join(tmpdir(), 'sigil-completion-'));
    writeFileSync(join(dir, 'sigil.bash'), (await runCli(['completion', 'bash'])).stdout);
    const checked = spawnSync('bash', ['-n', join(dir, 'sigil.bash')], { encoding: 'utf8' });
    expect(checked.status, checked.stderr).toBe(0);
    // Completing a flag value from its fixed choices, in a real bash.
    const script = `source ${join(dir, 'sigil.bash')}; COMP_WORDS=(sigil verify -o t); COMP_CWORD=3; _sigil; echo "\${COMPREPLY[@]}"`;
    expect(spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout.trim()).toBe('text');
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });

  it('version and version --json', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8'));
    expect((await runCli(['version'])).stdout).toBe(`sigil ${pkg.version}\n`);
    expect(JSON.parse((await runCli(['version', '--json'])).stdout)).toMatchObject({ gitVersion: `v${pkg.version}`, compiler: 'node' });
  });

  it('global flags before the command name', async () => {
    const run = await runCli(['-d', '--timeout', '1m', 'verify-blob', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verify a Sigstore bundle');
  });
});
