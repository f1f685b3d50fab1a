// The Rekor service alone in a process, for tests that kill it and for the benchmark:
//   node runner.mjs --dir DIR [--host NAME] [--port N] [--ca CHAIN.pem]
// Prints one JSON line {url, size, droppedBytes, openMs} when it serves; SIGTERM closes it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodePemBlocks } from '@sigil/encoding';
import { createRouter, serve } from '../../src/http/index.js';
import { createRekorService } from '../../src/rekor-server/index.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, ca: { type: 'string' } } });
if (!values.dir) throw new Error('runner: --dir is required');
const chain = values.ca ? decodePemBlocks(readFileSync(values.ca, 'utf8')).map((block) => block.der) : undefined;

const started = performance.now();
const service = await createRekorService({ dir: values.dir, host: values.host ?? 'rekor.local', ...(chain ? { trustedCas: () => [chain] } : {}) });
const openMs = performance.now() - started;
const server = await serve(createRouter(service.routes), { port: Number(values.port ?? 0) });
process.stdout.write(`${JSON.stringify({ url: server.url, size: service.size, droppedBytes: service.recovered.droppedBytes, openMs })}\n`);

process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => service.close())
    .then(() => process.exit(0));
});
