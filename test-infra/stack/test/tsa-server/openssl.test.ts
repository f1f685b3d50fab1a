import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derToPem } from '@sigil/encoding';
import { createTimestampAuthority } from '../../src/tsa-server/index.js';
import { serveRoutes, temporaryDirectory } from '../support/serve-routes.js';

// OpenSSL is an independent RFC 3161 implementation: `ts -verify` checks the CMS signature,
// the chain, the ESS signing-certificate-v2 attribute, the imprint and the nonce.
const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let server: Awaited<ReturnType<typeof serveRoutes>>;
let state: ReturnType<typeof temporaryDirectory>;
beforeAll(async () => {
  server = await serveRoutes();
  state = temporaryDirectory('tsa-openssl');
});
afterAll(async () => {
  await server.close();
  state.remove();
});

describe.skipIf(!openssl)('TSA replies checked by OpenSSL', () => {
  it.each([true, false])('openssl ts -verify accepts the reply to its own query (certReq %s)', async (certReq) => {
    const tsa = createTimestampAuthority({ dir: join(state.dir, 'tsa') });
    server.setRoutes(tsa.routes);
    const file = (name: string) => join(state.dir, name);
    writeFileSync(file('data'), randomBytes(100));
    writeFileSync(file('root.pem'), derToPem(tsa.certChain[1]!, 'CERTIFICATE'));
    writeFileSync(file('leaf.pem'), derToPem(tsa.certChain[0]!, 'CERTIFICATE'));
    execFileSync('openssl', ['ts', '-query', '-data', file('data'), '-sha256', ...(certReq ? ['-cert'] : []), '-out', file('query.tsq')], { stdio: 'ignore' });
    const response = await fetch(`${server.url}/api/v1/timestamp`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(file('query.tsq')) });
    expect(response.status).toBe(200);
    writeFileSync(file('reply.tsr'), new Uint8Array(await response.arrayBuffer()));
    const out = execFileSync('openssl', ['ts', '-verify', '-in', file('reply.tsr'), '-queryfile', file('query.tsq'), '-CAfile', file('root.pem'), '-untrusted', file('leaf.pem')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('Verification: OK');
  });
});
