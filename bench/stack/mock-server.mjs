// @sigstore/mock's Fulcio and Rekor handlers (the ones its nock interceptors call) served over
// real HTTP on 127.0.0.1, the anchor the benchmark compares with. Prints {url} when ready.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { generateKeyPair } = require('@sigstore/mock/dist/util/key.js');
const { initializeTLog, rekorHandler } = require('@sigstore/mock/dist/rekor/index.js');
const { initializeCA, initializeCTLog, fulcioHandler } = require('@sigstore/mock/dist/fulcio/index.js');

const keyPair = generateKeyPair('prime256v1');
const rekor = rekorHandler(await initializeTLog('https://rekor.sigstore.dev', keyPair));
const fulcio = fulcioHandler(await initializeCA(keyPair, await initializeCTLog(keyPair)));
const handlers = new Map([rekor, fulcio].map((handler) => [handler.path, handler.fn]));

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const handle = req.method === 'POST' ? handlers.get(req.url) : undefined;
  if (!handle) {
    res.writeHead(404).end();
    return;
  }
  const { statusCode, response, contentType } = await handle(Buffer.concat(chunks).toString('utf8'));
  res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain', 'content-length': Buffer.byteLength(response) });
  res.end(response);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
