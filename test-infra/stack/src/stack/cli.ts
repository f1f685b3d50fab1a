import { writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '@sigil/errors';
import { createOidcIssuer, type TokenKind } from '../oidc-server/index.js';
import { createStack, type StackDescription } from './create-stack.js';
import { readJsonIfPresent } from './state-files.js';

const USAGE = `usage:
  stack up --state DIR [--host 127.0.0.1] [--port 0]
      start the OIDC issuer, Fulcio, Rekor v1 and v2 and the TSA on loopback; print stack.json; run until SIGINT/SIGTERM
  stack token --state DIR [--kind gitlab|github|email] [--claims JSON]
      print an identity token from the stack's issuer (GitLab-like by default; --claims overrides claims)
`;

const out = (text: string) => writeSync(1, text);
const err = (text: string) => writeSync(2, text);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'up') return await up(rest);
    if (command === 'token') return await token(rest);
    err(command === undefined || command === '--help' ? USAGE : `stack: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return command === '--help' ? 0 : 2;
  } catch (e) {
    err(`stack: ${describeError(e)}\n`);
    return 1;
  }
}

async function up(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { state: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } }, strict: true });
  if (!values.state) return usage('--state DIR is required');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) return usage(`--port: expected 0-65535, found ${values.port}`);
  const stack = await createStack({ dir: resolve(values.state), host: values.host, port });
  const description: StackDescription = {
    oidcIssuer: stack.oidcIssuer,
    fulcioURL: stack.fulcioURL,
    rekorURL: stack.rekorURL,
    tsaURL: stack.tsaURL,
    rekorV2URL: stack.rekorV2URL,
    trustedRoot: stack.trustedRoot,
    signingConfig: stack.signingConfig,
    signingConfigRekorV2: stack.signingConfigRekorV2,
  };
  out(`${JSON.stringify(description)}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await stack.close();
  return 0;
}

async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { state: { type: 'string' }, kind: { type: 'string' }, claims: { type: 'string' } }, strict: true });
  if (!values.state) return usage('--state DIR is required');
  const kind = (values.kind ?? 'gitlab') as TokenKind;
  if (!['gitlab', 'github', 'email'].includes(kind)) return usage(`--kind: expected gitlab, github or email, found ${values.kind}`);
  let claims: Record<string, unknown> | undefined;
  if (values.claims !== undefined) {
    try {
      claims = JSON.parse(values.claims);
    } catch {
      return usage('--claims: expected a JSON object');
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return usage('--claims: expected a JSON object');
  }
  const dir = resolve(values.state);
  const stack = readJsonIfPresent<StackDescription>(join(dir, 'stack.json'));
  if (!stack) throw new Error(`${dir} holds no stack.json: run "stack up --state ${values.state}" first`);
  const issuer = createOidcIssuer({ dir: join(dir, 'oidc'), issuerUrl: stack.oidcIssuer });
  out(`${await issuer.mint({ kind, claims })}\n`);
  return 0;
}

function usage(message: string): number {
  err(`stack: ${message}\n${USAGE}`);
  return 2;
}
