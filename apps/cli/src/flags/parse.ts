import { CliError, usageError } from '../cli-error.js';
import { envName, type FlagSpec, type FlagValue } from './spec.js';
import { formatGoDuration, parseCsvRecord, parseGoBool, parseGoDuration, parseGoInt } from './values.js';

const FLAG_VARIABLE = /^(COSIGN|SIGIL)_/i;

export interface ParsedFlags {
  /** Only what was given, on the command line or in the environment. */
  values: Record<string, FlagValue>;
  /** How each given flag was given, for messages: `--key` or `COSIGN_KEY`. */
  givenAs: Map<string, string>;
  positionals: string[];
  help: boolean;
  /** pflag's deprecation notices, one line each. */
  warnings: string[];
}

export interface ParseOptions {
  /** Flag names cosign rewrites before looking them up (`--cert` is `--certificate`). */
  aliases?: Readonly<Record<string, string>>;
  env?: NodeJS.ProcessEnv;
}

const HELP: FlagSpec = { name: 'help', short: 'h', type: 'bool', description: 'help for this command', sigilOnly: true };

/**
 * Reads argv as cobra and pflag do (`--flag value`, `--flag=value`, `-abc`, `-a value`, booleans
 * without a value or with `=` and any strconv.ParseBool spelling, flags between positionals,
 * `--` ending flags), then fills what was not given from the environment as cosign's viper
 * binding does. Flags win over the environment.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], options: ParseOptions = {}): ParsedFlags {
  const env = options.env ?? process.env;
  const byName = new Map<string, FlagSpec>([[HELP.name, HELP]]);
  const byShort = new Map<string, FlagSpec>([['h', HELP]]);
  for (const spec of specs) {
    byName.set(spec.name, spec);
    if (spec.short) byShort.set(spec.short, spec);
  }
  const parsed: ParsedFlags = { values: {}, givenAs: new Map(), positionals: [], help: false, warnings: [] };
  const set = (spec: FlagSpec, text: string, as: string) => setValue(parsed, spec, text, as);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const name = options.aliases?.[given] ?? given;
      const spec = byName.get(name);
      if (!spec) throw unknownFlag(`--${given}`, specs);
      if (eq !== -1) set(spec, arg.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') set(spec, 'true', `--${name}`);
      else if (i + 1 < argv.length) set(spec, argv[++i]!, `--${name}`);
      else throw usageError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A run of shorthands: booleans may be chained (-yd), the first non-boolean takes the rest or the next argument.
      for (let j = 1; j < arg.length; j++) {
        const short = arg[j]!;
        const spec = byShort.get(short);
        if (!spec) throw unknownFlag(`-${short}`, specs, arg);
        const rest = arg.slice(j + 1);
        if (spec.type === 'bool') {
          if (rest.startsWith('=')) {
            set(spec, rest.slice(1), `-${short}`);
            break;
          }
          set(spec, 'true', `-${short}`);
          continue;
        }
        if (rest !== '') set(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${short}`);
        else if (i + 1 < argv.length) set(spec, argv[++i]!, `-${short}`);
        else throw usageError(`flag needs an argument: '${short}' in -${short}`);
        break;
      }
      continue;
    }
    parsed.positionals.push(arg);
  }

  parsed.help = parsed.values.help === true;
  delete parsed.values.help;
  parsed.givenAs.delete('help');
  // Each process.env read is a call into the C++ environment and a command has about a hundred
  // flags: look them up only when some variable could bind one (the prefix in any case, as
  // Windows reads names).
  if (Object.keys(env).some((name) => FLAG_VARIABLE.test(name))) {
    for (const spec of specs) {
      if (parsed.givenAs.has(spec.name)) continue;
      const variable = envName(spec);
      const text = env[variable];
      // viper ignores empty variables.
      if (text !== undefined && text !== '') set(spec, text, variable);
    }
  }
  return parsed;
}

function setValue(parsed: ParsedFlags, spec: FlagSpec, text: string, as: string): void {
  const fromEnv = !as.startsWith('-');
  const invalid = (expected: string) =>
    usageError(`invalid argument ${JSON.stringify(text)} for ${fromEnv ? `${as} (--${spec.name})` : as}: expected ${expected}`);
  const repeated = parsed.givenAs.has(spec.name);
  switch (spec.type) {
    case 'bool': {
      const value = parseGoBool(text);
      if (value === undefined) throw invalid('true or false (also 1, 0, t, f, TRUE, FALSE, True, False)');
      parsed.values[spec.name] = value;
      break;
    }
    case 'int': {
      const value = parseGoInt(text);
      if (value === undefined) throw invalid('an integer');
      parsed.values[spec.name] = value;
      break;
    }
    case 'duration': {
      const value = parseGoDuration(text);
      if (value === undefined) throw invalid(`a duration such as ${formatGoDuration(180_000)}, 90s or 1h30m`);
      parsed.values[spec.name] = value;
      break;
    }
    case 'stringSlice': {
      const items = parseCsvRecord(text);
      if (items === undefined) throw invalid('comma-separated values (double quotes around a value that holds a comma)');
      parsed.values[spec.name] = repeated ? [...(parsed.values[spec.name] as string[]), ...items] : items;
      break;
    }
    case 'stringArray':
      parsed.values[spec.name] = repeated ? [...(parsed.values[spec.name] as string[]), text] : [text];
      break;
    case 'string':
      parsed.values[spec.name] = text;
      break;
  }
  if (!repeated) parsed.givenAs.set(spec.name, as);
  if (spec.deprecated) parsed.warnings.push(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
}

function unknownFlag(given: string, specs: readonly FlagSpec[], arg?: string): CliError {
  const name = given.replace(/^-+/, '');
  const near = specs.find((s) => s.name.startsWith(name) || name.startsWith(s.name));
  return usageError(`unknown flag: ${given}${arg && arg !== given ? ` in ${arg}` : ''}`, near ? `did you mean --${near.name}?` : 'sigil COMMAND --help lists the flags');
}

/** Refuses, by name, any given flag sigil does not do (exit 2), with why and what to use instead. */
export function checkRefusals(parsed: ParsedFlags, specs: readonly FlagSpec[]): void {
  for (const spec of specs) {
    const as = parsed.givenAs.get(spec.name);
    if (as === undefined || !spec.refused) continue;
    const value = parsed.values[spec.name]!;
    if (spec.refused.accepts?.(value)) continue;
    const shown = spec.type === 'bool' || spec.type === 'int' ? `=${String(value)}` : '';
    const via = as.startsWith('-') ? '' : ` (set by ${as})`;
    throw new CliError('CLI_FLAG_REFUSED', `--${spec.name}${shown}${via} is not supported by sigil: ${spec.refused.why}`, { hint: spec.refused.instead });
  }
}
