import { gitlabJobIdentity, gitlabPreflight, verifyCommands, type Environment, type GitlabJobIdentity, type Problem } from '@sigil/ci';
import { usageError } from '../cli-error.js';
import { plainFlags } from '../flags/plain.js';
import type { Command, Io } from '../command.js';
import { textLines } from '../terminal-output.js';
import { outputFormat } from '../options/output-format.js';

const SUBCOMMANDS = ['identity', 'preflight'] as const;

/**
 * `sigil gitlab identity`: the certificate identity and issuer this GitLab job's signatures
 * will carry, and the commands a consumer verifies them with. `sigil gitlab preflight`: what
 * would stop this job from signing, each with the .gitlab-ci.yml change that fixes it.
 * Both read the job's variables (and SIGSTORE_ID_TOKEN's claims); neither prints the token.
 */
export const gitlabCommand: Command = createGitlabCommand(() => process.env);

/** The command reading the job's variables from `env` (tests give their own). */
export function createGitlabCommand(env: () => Environment): Command {
  return {
    name: 'gitlab',
    summary: "GitLab CI: this job's signing identity and verify commands (identity), or why it cannot sign (preflight)",
    usage:
      'sigil gitlab identity [--output text|json] [--artifact PATH] [--bundle PATH] [--image REF]\n' +
      '       sigil gitlab preflight [--output text|json]',
    flags: plainFlags({
      output: { type: 'string', short: 'o' },
      artifact: { type: 'string' },
      bundle: { type: 'string' },
      image: { type: 'string' },
    }),
    async run(values, positionals, io) {
      const flags = values as { output?: string; artifact?: string; bundle?: string; image?: string };
      const [sub, ...extra] = positionals;
      if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
        throw usageError(`expected a subcommand, ${SUBCOMMANDS.join(' or ')}, found ${sub === undefined ? 'none' : JSON.stringify(sub)}`);
      }
      if (extra.length > 0) throw usageError(`unexpected argument ${JSON.stringify(extra[0])}`);
      const output = outputFormat(flags.output, 'text');
      if (sub === 'preflight' && (flags.artifact ?? flags.bundle ?? flags.image) !== undefined) {
        throw usageError('--artifact, --bundle and --image go with gitlab identity, not preflight');
      }
      return sub === 'identity' ? identity(env(), flags, output, io) : preflight(env(), output, io);
    },
  };
}

function identity(env: Environment, flags: { artifact?: string; bundle?: string; image?: string }, output: 'text' | 'json', io: Io): number {
  const job = gitlabJobIdentity(env);
  const commands = verifyCommands(job, {
    ...(flags.artifact !== undefined ? { artifact: flags.artifact } : {}),
    ...(flags.bundle !== undefined ? { bundle: flags.bundle } : {}),
    ...(flags.image !== undefined ? { image: flags.image } : {}),
  });
  if (output === 'json') {
    io.stdout(`${JSON.stringify({ ...job, commands })}\n`);
    return 0;
  }
  io.stdout(
    textLines([
      `Certificate identity: ${job.identity}`,
      `Certificate issuer:   ${job.issuer}`,
      `(${describeSource(job)})`,
      '',
      'Verify a signed file:',
      `  ${commands.verifyBlob}`,
      ...(commands.verifyBlobPreset ? [`  ${commands.verifyBlobPreset}`] : []),
      'Verify a signed image:',
      `  ${commands.verify}`,
      ...(commands.verifyPreset ? [`  ${commands.verifyPreset}`] : []),
    ]),
  );
  return 0;
}

function describeSource(job: GitlabJobIdentity): string {
  return job.source === 'token'
    ? "from the job's ID token (SIGSTORE_ID_TOKEN), as Fulcio will read it"
    : "from the job's CI variables: no ID token with ci_config_ref_uri, so signing would fail; run sigil gitlab preflight";
}

function preflight(env: Environment, output: 'text' | 'json', io: Io): number {
  const problems = gitlabPreflight(env);
  const job = problems.length === 0 ? gitlabJobIdentity(env) : undefined;
  if (output === 'json') {
    io.stdout(`${JSON.stringify({ ok: problems.length === 0, problems, ...(job ? { identity: job.identity, issuer: job.issuer } : {}) })}\n`);
  } else if (job) {
    io.stdout(textLines([`OK: this job can sign keylessly as ${job.identity} (issuer ${job.issuer})`]));
  } else {
    io.stdout(textLines([...problems.flatMap(describeProblem), `${problems.length} problem${problems.length === 1 ? '' : 's'}: this job cannot sign keylessly yet`]));
  }
  return problems.length === 0 ? 0 : 1;
}

/** A problem's lines: its message (one line, whatever it quotes) and its fix, indented. */
function describeProblem(problem: Problem): string[] {
  return [`Problem ${problem.code}: ${problem.message}`, '  Fix:', ...problem.fix.split('\n').map((line) => `    ${line}`), ''];
}
