// The Rekor service alone in a process, for tests that kill it and for the benchmark:
//   node runner.mjs --dir DIR [--host NAME] [--port N] [--ca CHAIN.pem] [--v2]
// Prints one JSON line {url, size, droppedBytes, openMs} when it serves (with --v2, the Rekor v2
// log, also its spki and origin); SIGTERM closes it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodePemBlocks } from '@sigil/encoding';
import { createRouter, serve } from '../../src/http/index.js';
import { createRekorService } from '../../src/rekor-server/index.js';
import { createRekorV2Service } from '../../src/rekor-v2-server/index.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, ca: { type: 'string' }, v2: { type: 'boolean' } } });
if (!values.dir) throw new Error('runner: --dir is required');
const chain = values.ca ? decodePemBlocks(readFileSync(values.ca, 'utf8')).map((block) => block.der) : undefined;

const started = performance.now();
const trust = chain ? { trustedCas: () => [chain] } : {};
const service = values.v2
  ? await createRekorV2Service({ dir: values.dir, hostname: values.host ?? '127.0.0.1', ...trust })
  : await createRekorService({ dir: values.dir, host: values.host ?? 'rekor.local', ...trust });
const openMs = performance.now() - started;
const server = await serve(createRouter(service.routes), { port: Number(values.port ?? 0) });
const identity = 'spki' in service ? { spki: Buffer.from(service.spki).toString('base64'), origin: service.origin } : {};
process.stdout.write(`${JSON.stringify({ url: server.url, size: service.size, droppedBytes: service.recovered.droppedBytes, openMs, ...identity })}\n`);

process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => service.close())
    .then(() => process.exit(0));
});
