import type { Command } from '../command.js';
import { envName, type FlagSpec, type OptionSet } from './spec.js';

const TYPE_WORDS: Readonly<Record<FlagSpec['type'], string>> = {
  bool: '',
  string: 'string',
  stringSlice: 'strings',
  stringArray: 'stringArray',
  int: 'int',
  duration: 'duration',
};

export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "sigil: Sigstore signing and verification, with cosign's commands and flags",
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run sigil COMMAND --help (or sigil help COMMAND) for its flags.',
    '',
  ].join('\n');
}

/** One command's help: usage, examples, then every flag with its default and variable, as cobra lists them. */
export function commandHelp(command: Command, globals: OptionSet): string {
  const own = [...command.flags].sort((a, b) => a.name.localeCompare(b.name));
  const active = own.filter((f) => !f.deprecated && !f.refused);
  const deprecated = own.filter((f) => f.deprecated && !f.refused);
  const refused = own.filter((f) => f.refused);
  const sections = [`${command.summary}\n`, `Usage:\n  ${command.usage.replace(/\n/g, '\n  ')}\n`];
  if (command.examples?.length) sections.push(`Examples:\n${command.examples.map((e) => `  ${e}`).join('\n')}\n`);
  sections.push(`Flags:\n${flagLines(active, command)}`);
  if (deprecated.length) sections.push(`Deprecated by cosign, still accepted (a warning says so):\n${flagLines(deprecated, command)}`);
  if (refused.length) sections.push(`cosign flags sigil refuses (with the values it accepts, if any), and why:\n${refusedLines(refused)}`);
  sections.push(`Global Flags:\n${flagLines(globals, command)}`);
  if (command.cosign) sections.push('Every flag is also read from its variable (flags win); booleans take true/false/1/0.\n');
  return sections.join('\n');
}

function flagLines(specs: readonly FlagSpec[], command: Command): string {
  const heads = specs.map((f) => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${TYPE_WORDS[f.type] ? ` ${TYPE_WORDS[f.type]}` : ''}`);
  const width = Math.min(48, Math.max(...heads.map((h) => h.length)));
  return specs
    .map((f, i) => {
      // Only a cosign command reads its flags' variables (main.ts), Sigil's own flags as SIGIL_<FLAG>.
      const extras = [defaultText(f), command.cosign ? `env ${envName(f)}` : undefined].filter(Boolean).join('; ');
      const head = heads[i]!;
      const pad = head.length > width ? `\n${' '.repeat(width + 6)}` : ' '.repeat(width - head.length + 3);
      return `  ${head}${pad}${f.description}${extras ? ` (${extras})` : ''}${f.deprecated ? ` [deprecated: ${f.deprecated}]` : ''}`;
    })
    .join('\n')
    .concat('\n');
}

function defaultText(f: FlagSpec): string | undefined {
  if (f.default === undefined || f.default === '' || f.default === '[]' || (f.type === 'bool' && f.default === 'false')) return undefined;
  return f.type === 'string' ? `default "${f.default}"` : `default ${f.default}`;
}

function refusedLines(specs: readonly FlagSpec[]): string {
  return specs.map((f) => `      --${f.name}: ${f.refused!.why}. Instead: ${f.refused!.instead}`).join('\n').concat('\n');
}
