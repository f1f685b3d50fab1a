// There is no docker engine on this machine. The image template calls `docker login`,
// `docker build`, `docker push`, `docker tag` and `docker inspect --format='{{index
// .RepoDigests 0}}'`; this stand-in answers exactly those and fails on anything else.
// `docker` on the job's PATH is a small node script that hands its arguments to the test
// process. What it fakes: `build` builds no Dockerfile, it prepares @sigil/registry's
// deterministic one-layer test image whose one file holds the Dockerfile's text (so another
// Dockerfile is another digest); `login` only remembers the credentials; `push` uploads that
// image for real (pushTestImage) to the test registry with those credentials, refusing any
// other registry; `inspect` answers the digest the registry returned for the push.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { buildTestImage, pushTestImage, type TestImage } from '@sigil/registry';

interface Reply {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerShim {
  /** Tag references the jobs pushed, and their digests. */
  pushed: Map<string, string>;
  close(): Promise<void>;
}

/** Any registry with a URL and a host: the in-repo one or Debian's docker-registry. */
export interface ShimRegistry {
  url: string;
  host: string;
}

export async function startDockerShim(binDir: string, registry: ShimRegistry): Promise<DockerShim> {
  const logins = new Map<string, { username: string; password: string }>();
  const images = new Map<string, TestImage>();
  const pushed = new Map<string, string>();

  async function docker(args: string[], cwd: string, stdin: string): Promise<Reply> {
    const [command, ...rest] = args;
    switch (command) {
      case 'login': {
        const username = option(rest, '--username', '-u');
        const password = rest.includes('--password-stdin') ? stdin.replace(/\n$/, '') : option(rest, '--password', '-p');
        const host = positionals(rest, ['--username', '-u', '--password', '-p'])[0];
        if (!username || !password || !host) return fail('docker login: expected --username, a password and a registry');
        logins.set(host, { username, password });
        return ok('Login Succeeded\n');
      }
      case 'build': {
        const tag = option(rest, '--tag', '-t');
        const context = positionals(rest, ['--tag', '-t', '--file', '-f'])[0];
        if (!tag || !context) return fail('docker build: expected -t NAME and a context directory');
        let dockerfile: string;
        try {
          dockerfile = readFileSync(join(resolve(cwd, context), 'Dockerfile'), 'utf8');
        } catch {
          return fail('unable to prepare context: unable to evaluate symlinks in Dockerfile path: no such file or directory');
        }
        images.set(tag, buildTestImage({ content: dockerfile }));
        return ok(`Successfully tagged ${tag}\n`);
      }
      case 'tag': {
        const [source, target] = rest;
        const image = source ? images.get(source) : undefined;
        if (!image || !target) return fail(`Error response from daemon: No such image: ${source}`);
        images.set(target, image);
        return ok('');
      }
      case 'push': {
        const name = rest[0] ?? '';
        const image = images.get(name);
        if (!image) return fail(`An image does not exist locally with the tag: ${name}`);
        const { host, repository, tag } = splitName(name);
        if (host !== registry.host) return fail(`push ${name}: this shim only reaches the test registry ${registry.host}`);
        const credentials = logins.get(host);
        if (!credentials) return fail('unauthorized: authentication required');
        const { digest } = await pushTestImage(registry.url, repository, tag, image, credentials);
        pushed.set(name, digest);
        return ok(`${tag}: digest: ${digest} size: ${image.manifest.length}\n`);
      }
      case 'inspect': {
        const format = option(rest, '--format', '-f');
        const name = positionals(rest, ['--format', '-f'])[0] ?? '';
        if (format !== '{{index .RepoDigests 0}}') return fail(`docker inspect: this shim only answers --format='{{index .RepoDigests 0}}', found ${format}`);
        const digest = pushed.get(name);
        if (!digest) return fail('template: :1:2: executing "" at <index .RepoDigests 0>: error calling index: index out of range: 0');
        const { host, repository } = splitName(name);
        return ok(`${host}/${repository}@${digest}\n`);
      }
      default:
        return fail(`docker ${command}: not implemented by the test shim`);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { args, cwd, stdin } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { args: string[]; cwd: string; stdin: string };
      docker(args, cwd, stdin)
        .catch((err: unknown) => fail(`docker ${args[0]}: ${String(err)}`))
        .then((reply) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply)));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const shim = join(binDir, 'docker');
  writeFileSync(
    shim,
    `#!${process.execPath}
// docker for the Sigil template tests: hands its arguments to the test process (see docker-shim.ts).
const { readFileSync } = require('node:fs');
const args = process.argv.slice(2);
const stdin = args.includes('--password-stdin') ? readFileSync(0, 'utf8') : '';
fetch(${JSON.stringify(url)}, { method: 'POST', body: JSON.stringify({ args, cwd: process.cwd(), stdin }) })
  .then((res) => res.json())
  .then((reply) => {
    process.stdout.write(reply.stdout);
    process.stderr.write(reply.stderr);
    process.exitCode = reply.code;
  });
`,
  );
  chmodSync(shim, 0o755);
  return {
    pushed,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function ok(stdout: string): Reply {
  return { code: 0, stdout, stderr: '' };
}

function fail(stderr: string): Reply {
  return { code: 1, stdout: '', stderr: `${stderr}\n` };
}

/** `--name VALUE`, `--name=VALUE` or `-n VALUE`. */
function option(args: string[], long: string, short: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === long || arg === short) return args[i + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
  }
  return undefined;
}

/** Arguments that are neither flags nor the values of `valued` flags. */
function positionals(args: string[], valued: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valued.includes(arg)) i++;
    else if (!arg.startsWith('-')) out.push(arg);
  }
  return out;
}

/** `host:port/group/project:tag` -> its parts (docker's rules for a name with a registry host). */
function splitName(name: string): { host: string; repository: string; tag: string } {
  const slash = name.indexOf('/');
  const path = name.slice(slash + 1);
  const colon = path.lastIndexOf(':');
  return { host: name.slice(0, slash), repository: colon < 0 ? path : path.slice(0, colon), tag: colon < 0 ? 'latest' : path.slice(colon + 1) };
}
