import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVariable, gitlabApi } from '../src/index.js';

// A failing GitLab whose error message echoes what it was sent (a proxy, a debugging server) must
// not carry a variable's value into the error: it is a password or an encrypted private key.
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // GitLab's JSON error shape, its message quoting the request as it came.
    req.on('end', () => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `cannot store ${Buffer.concat(chunks).toString()}` })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const secrets = {
  password: 'Correct.Horse~Battery:42',
  privateKey: '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n',
};

for (const [name, value] of Object.entries(secrets)) {
  it(`an error answer echoing the request shows no ${name}, as sent or JSON-escaped`, async () => {
    const api = gitlabApi({ host: url, token: 'glpat-maintainer-0123456789', http: { retries: 0 } });
    const err = await createVariable(api, { kind: 'project', reference: 'acme/app' }, { key: 'COSIGN_SECRET', value, protected: true, masked: false }).then(
      () => undefined,
      (e: unknown) => e as Error & { details?: unknown },
    );
    expect(err).toBeInstanceOf(Error);
    const shown = `${err!.message} ${JSON.stringify(err!.details ?? {})} ${String(err!.cause ?? '')}`;
    expect(shown).not.toContain(value);
    expect(shown).not.toContain(JSON.stringify(value).slice(1, -1));
    expect(shown).not.toContain('c2VjcmV0LWtleS1tYXRlcmlhbA');
  });
}
