import { describeError, isSigilError, printable } from '@sigil/errors';
import { CliError } from './cli-error.js';
import type { Command, Io } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { checkCosignEnvironment } from './cosign-environment.js';
import { ROOT_FLAGS } from './flag-sets/root.js';
import { COSIGN_ALIASES } from './flags/aliases.js';
import { commandHelp, overview } from './flags/help.js';
import { checkRefusals, parseFlags } from './flags/parse.js';
import { withGlobalFlags } from './global-flags.js';
import { printableIo } from './terminal-output.js';

// Exit codes: 0 verified, 1 the bundle did not verify (or could not be read), 2 usage;
// image verification adds cosign's 10-13 (see image-exit-codes.ts).
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

export async function main(argv: string[], terminal: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Everything written is escaped (a crafted string must not erase a line and paint "Verified OK").
  const io = printableIo(terminal);
  const { name, rest } = splitCommandName(argv);
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(overview(COMMANDS));
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      io.stdout(overview(COMMANDS));
      return 0;
    }
    const topic = findCommand(rest[0]!);
    if (!topic) return unknownCommand(rest[0]!, io);
    io.stdout(commandHelp(topic, ROOT_FLAGS));
    return 0;
  }
  if (name === '--version') return findCommand('version')!.run({}, [], io);
  const command = findCommand(name);
  if (!command) return unknownCommand(name, io);
  const specs = [...command.flags, ...ROOT_FLAGS];
  let parsed;
  try {
    parsed = parseFlags(rest, specs, command.cosign ? { aliases: COSIGN_ALIASES, env } : { env: {} });
    if (parsed.help) {
      io.stdout(commandHelp(command, ROOT_FLAGS));
      return 0;
    }
    for (const warning of parsed.warnings) io.stderr(`${warning}\n`);
    checkRefusals(parsed, specs);
    if (command.cosign) checkCosignEnvironment(command.name, env);
  } catch (err) {
    return report(err, command, io, false);
  }
  const verbose = parsed.values.verbose === true || (!command.cosign && env.SIGIL_DEBUG !== undefined);
  try {
    return await withGlobalFlags(parsed.values, io, (out) => command.run(parsed.values, parsed.positionals, out));
  } catch (err) {
    return report(err, command, io, verbose);
  }
}

/** The command's name: the first argument that is not a global flag or a global flag's value. */
function splitCommandName(argv: string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    if (arg === '--help' || arg === '-h' || arg === '--version') return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    const spec = ROOT_FLAGS.find((f) => arg === `--${f.name}` || (f.short !== undefined && arg === `-${f.short}`));
    if (spec && spec.type !== 'bool') i++;
  }
  return { name: undefined, rest: argv };
}

function unknownCommand(name: string, io: Io): number {
  io.stderr(`Error: unknown command ${JSON.stringify(name)}\n\n${overview(COMMANDS)}`);
  return EXIT_USAGE;
}

function report(err: unknown, command: Command, io: Io, verbose: boolean): number {
  // Messages are one line each; one that quotes a foreign newline keeps it escaped.
  const message = printable(describeError(err));
  const hint = isSigilError(err) && err.hint ? `Hint: ${printable(err.hint)}\n` : '';
  if (err instanceof CliError && (err.code === 'CLI_USAGE' || err.code === 'CLI_FLAG_REFUSED' || err.code === 'CLI_NOT_IMPLEMENTED')) {
    const usage = err.code === 'CLI_USAGE' ? `Usage: ${command.usage}\n` : '';
    io.stderr(`Error: ${message}\n${hint}${usage}`);
    return EXIT_USAGE;
  }
  if (isSigilError(err)) {
    io.stderr(`Error: ${err.code}: ${message}\n${hint}`);
    if (verbose) io.stderr(stackFrames(err));
    return command.exitCodeFor?.(err) ?? EXIT_FAILURE;
  }
  // Not a typed error: a bug in sigil. Say so plainly, without a stack trace for the user.
  io.stderr(`Error: internal error (${message}); please report this with the command you ran\n`);
  if (verbose || process.env.SIGIL_DEBUG) io.stderr(stackFrames(err));
  return EXIT_FAILURE;
}

/**
 * The stack's frames for --verbose, without its first lines: they repeat the message, already
 * printed escaped, and a newline a bundle or token put in it would start a line of its own.
 */
function stackFrames(err: unknown): string {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  if (stack === '') return '';
  const heading = err instanceof Error ? String(err) : '';
  const frames = heading !== '' && stack.startsWith(heading) ? stack.slice(heading.length) : `\n${printable(stack)}`;
  return `${frames.replace(/^\n/, '')}\n`;
}
