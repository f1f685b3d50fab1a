// One loopback HTTP server that plays the outside world of a GitLab job in the gitlab-ci-local
// tests: the web server a Sigil release is downloaded from (and the templates are included
// from, `include: remote:`), and an npm registry that answers what `npm pack NAME@VERSION`,
// `npm install NAME@VERSION` and the attestations endpoint need: a packument per package, the
// tarballs, and /-/npm/v1/attestations/NAME@VERSION. Nothing else: no publish, no search, no auth.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NpmVersion {
  name: string;
  version: string;
  tarball: Buffer;
  /** The registry's attestations document for this version, when it has provenance. */
  attestations?: unknown;
  bin?: Record<string, string>;
}

export interface TestWeb {
  url: string;
  /** Serves `body` at `path` (decoded, e.g. /release/sigil.cjs). */
  put(path: string, body: string | Buffer, type?: string): void;
  /** Adds a version to the registry (replacing one of the same name and version). */
  publish(pkg: NpmVersion): void;
  /** Paths asked for, in order (decoded). */
  requests: string[];
  close(): Promise<void>;
}

export async function startTestWeb(): Promise<TestWeb> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const packages = new Map<string, Map<string, NpmVersion>>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push(path);
    const file = files.get(path) ?? npmAnswer(path);
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function npmAnswer(path: string): { body: Buffer; type: string } | undefined {
    const attestation = /^\/-\/npm\/v1\/attestations\/(.+)@([^@/]+)$/.exec(path);
    if (attestation) {
      const found = packages.get(attestation[1]!)?.get(attestation[2]!);
      return found?.attestations === undefined ? undefined : json(found.attestations);
    }
    const tarball = /^\/-\/tarballs\/(.+)\/([^/]+)\.tgz$/.exec(path);
    if (tarball) {
      const found = packages.get(tarball[1]!)?.get(tarball[2]!);
      return found && { body: found.tarball, type: 'application/octet-stream' };
    }
    const versions = packages.get(path.slice(1));
    if (!versions) return undefined;
    const all = [...versions.values()];
    return json({
      name: path.slice(1),
      'dist-tags': { latest: all.at(-1)!.version },
      versions: Object.fromEntries(
        all.map((pkg) => [
          pkg.version,
          {
            name: pkg.name,
            version: pkg.version,
            ...(pkg.bin ? { bin: pkg.bin } : {}),
            dist: {
              tarball: `${url}/-/tarballs/${pkg.name}/${pkg.version}.tgz`,
              integrity: `sha512-${createHash('sha512').update(pkg.tarball).digest('base64')}`,
              shasum: createHash('sha1').update(pkg.tarball).digest('hex'),
            },
          },
        ]),
      ),
    });
  }

  return {
    url,
    requests,
    put(path, body, type = 'application/octet-stream') {
      files.set(path, { body: Buffer.from(body), type });
    },
    publish(pkg) {
      if (!packages.has(pkg.name)) packages.set(pkg.name, new Map());
      packages.get(pkg.name)!.set(pkg.version, pkg);
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function json(value: unknown): { body: Buffer; type: string } {
  return { body: Buffer.from(JSON.stringify(value)), type: 'application/json' };
}
