import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { findCommand } from '../src/commands.js';
import { ROOT_FLAGS } from '../src/flag-sets/root.js';
import { COSIGN_ALIASES } from '../src/flags/aliases.js';
import { checkRefusals, parseFlags } from '../src/flags/parse.js';
import type { FlagSpec } from '../src/flags/spec.js';
import { runCli } from './run-cli.js';

// Every flag cosign defines for the eight commands (and its global flags), from cosign's own
// source (fixtures/cosign-flags.json, see fixtures/SOURCE.md): each one is parsed with cosign's
// meaning or refused by name, never an unknown option.
interface Row {
  command: string;
  flag: string;
  shorthand: string;
  type: string;
  default: string;
  deprecated: string;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/cosign-flags.json', import.meta.url), 'utf8')) as { aliases: Record<string, string>; flags: Row[] };
const COMMANDS = ['sign-blob', 'verify-blob', 'sign', 'verify', 'attest-blob', 'verify-blob-attestation', 'attest', 'verify-attestation'];
const rows = fixture.flags.flatMap((row) => (row.command === '(global)' ? COMMANDS.map((command) => ({ ...row, command })) : [row]));
const TYPES: Record<string, FlagSpec['type']> = { bool: 'bool', string: 'string', stringSlice: 'stringSlice', int: 'int', duration: 'duration', registryReferrersMode: 'string' };

function specsOf(command: string): FlagSpec[] {
  return [...findCommand(command)!.flags, ...ROOT_FLAGS];
}

/** A value unlike the default, so that a flag refused except at its default is refused. */
function sample(row: Row): string {
  if (row.type === 'bool') return row.default === 'true' ? 'false' : 'true';
  if (row.type === 'int') return '3';
  if (row.type === 'duration') return '1m';
  if (row.type === 'stringSlice') return 'a=b,c=d';
  if (row.type === 'registryReferrersMode') return 'legacy';
  return 'some-value';
}

type Outcome = { kind: 'parsed'; warnings: string[] } | { kind: 'refused'; message: string; hint: string | undefined };

function outcome(command: string, argv: string[], env: NodeJS.ProcessEnv = {}): Outcome {
  const specs = specsOf(command);
  const parsed = parseFlags(argv, specs, { aliases: COSIGN_ALIASES, env });
  try {
    checkRefusals(parsed, specs);
  } catch (err) {
    if (err instanceof CliError && err.code === 'CLI_FLAG_REFUSED') return { kind: 'refused', message: err.message, hint: err.hint };
    throw err;
  }
  return { kind: 'parsed', warnings: parsed.warnings };
}

describe("cosign's flags, each one", () => {
  it('the fixture holds the eight commands and the global flags', () => {
    expect(new Set(fixture.flags.map((r) => r.command))).toEqual(new Set(['(global)', ...COMMANDS]));
    expect(fixture.flags.length).toBeGreaterThan(300);
    expect(fixture.aliases).toEqual(COSIGN_ALIASES);
  });

  it.each(rows.map((r) => [`${r.command} --${r.flag}`, r] as const))('%s is declared as cosign declares it', (_, row) => {
    const spec = specsOf(row.command).find((s) => s.name === row.flag);
    expect(spec, `${row.command} --${row.flag}`).toBeDefined();
    expect(spec!.sigilOnly ?? false).toBe(false);
    expect(spec!.type).toBe(TYPES[row.type]);
    expect(spec!.short ?? '').toBe(row.shorthand);
    expect(spec!.default ?? '').toBe(row.default);
    expect(spec!.deprecated ?? '').toBe(row.deprecated);
  });

  it.each(rows.map((r) => [`${r.command} --${r.flag}`, r] as const))('%s is parsed with its meaning or refused by name, from argv and from COSIGN_*', (_, row) => {
    const value = sample(row);
    const fromArgv = outcome(row.command, row.type === 'bool' ? [`--${row.flag}=${value}`] : [`--${row.flag}`, value]);
    const variable = `COSIGN_${row.flag.toUpperCase().replace(/-/g, '_')}`;
    const fromEnv = outcome(row.command, [], { [variable]: value });
    expect(fromEnv.kind).toBe(fromArgv.kind);
    if (fromArgv.kind === 'refused') {
      expect(fromArgv.message).toMatch(new RegExp(`^--${row.flag}\\b.* is not supported by sigil: .+`));
      expect(fromArgv.hint ?? '').not.toBe('');
      expect((fromEnv as { message: string }).message).toContain(`(set by ${variable})`);
    } else if (row.deprecated) {
      // pflag's notice, with cosign's words.
      expect(fromArgv.warnings).toContain(`Flag --${row.flag} has been deprecated, ${row.deprecated}`);
    }
  });

  it('a refused flag stops the command with exit 2, its name, why and what instead (never "unknown flag")', async () => {
    const refused = rows.filter((row) => outcome(row.command, row.type === 'bool' ? [`--${row.flag}=${sample(row)}`] : [`--${row.flag}`, sample(row)]).kind === 'refused');
    expect(refused.length).toBeGreaterThan(20);
    for (const row of refused.filter((r) => r.command === 'verify' || r.command === 'sign-blob')) {
      const run = await runCli([row.command, row.type === 'bool' ? `--${row.flag}=${sample(row)}` : `--${row.flag}=${sample(row)}`, 'x']);
      expect(run.code, `${row.command} --${row.flag}`).toBe(2);
      expect(run.stderr).toContain(`--${row.flag}`);
      expect(run.stderr).toContain('Hint: ');
      expect(run.stderr).not.toContain('unknown flag');
    }
  });
});
