// pnpm bench:stack: the stack's Rekor (durable, entries checked, SETs signed) beside
// @sigstore/mock's handlers served over HTTP, in the same run, on this machine. Each server
// runs in its own process; the load comes from lean keep-alive clients (keep-alive-client.mjs).
// Prints appends/s with 1 and 16 clients, inclusion-proof latency at 100,000 entries, the
// restart time at that size, and the ratios; then the stack's Rekor v2 log (tiles, Ed25519
// checkpoints) beside both: appends/s with 1 and 16 clients, append p99, tile reads/s.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode, STACK_SIGNATURE_THREAD } from '../../scripts/bundle-for-node.mjs';
import { startProcess } from '../start-process.mjs';
import { openConnection } from './keep-alive-client.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const FULL = Number(process.env.BENCH_ENTRIES ?? 100_000);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 2_000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20_000);
const CLIENTS = 16;

// The Rekor service starts its signature-check threads from a module beside its bundle.
await bundleForNode({ 'rekor-runner': join(repo, 'test-infra/stack/test/rekor-server/runner.ts'), 'signature-thread': STACK_SIGNATURE_THREAD }, join(here, '.build'));
await bundleForNode({ fixtures: join(here, 'fixtures.ts') }, join(here, '.build'));
const { createFixtures } = await import(join(here, '.build/fixtures.mjs'));

const work = mkdtempSync(join(tmpdir(), 'sigil-bench-stack-'));
const fixtures = createFixtures(work);
const stateDir = join(work, 'rekor');

const startRekor = () => startProcess(join(here, '.build/rekor-runner.mjs'), ['--dir', stateDir, '--ca', fixtures.caFile]);
const startRekorV2 = () => startProcess(join(here, '.build/rekor-runner.mjs'), ['--dir', join(work, 'rekor-v2'), '--ca', fixtures.caFile, '--v2']);
const startMock = () => startProcess(join(here, 'mock-server.mjs'));

/** `clients` connections send `count` requests made by `make`; returns requests/s and per-request ms. */
async function drive(url, clients, count, make) {
  const connections = await Promise.all(Array.from({ length: clients }, () => openConnection(url)));
  const requests = Array.from({ length: count }, (_, i) => make(i));
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    connections.map(async (connection) => {
      while (next < requests.length) {
        const [method, path, body, expected = 201] = requests[next++];
        const sent = performance.now();
        const reply = await connection.request(method, path, body);
        latencies.push(performance.now() - sent);
        if (reply.status !== expected) throw new Error(`${method} ${path}: ${reply.status} ${reply.body.toString().slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  connections.forEach((connection) => connection.close());
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: count / seconds, mean: latencies.reduce((a, b) => a + b, 0) / latencies.length, p50: at(0.5), p99: at(0.99) };
}

const appends = (count) => Array.from({ length: count }, () => ['POST', '/api/v1/log/entries', fixtures.nextEntry()]);
const post = (requests) => (i) => requests[i];

// A Fulcio request as sigstore-js makes it: token (the mock decodes without checking), key, proof.
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = `${b64url({ alg: 'ES256', typ: 'JWT' })}.${b64url({ iss: 'https://oidc.local', sub: 'signer@example.com', aud: 'sigstore', email: 'signer@example.com' })}.c2ln`;
const certificateRequest = JSON.stringify({
  credentials: { oidcIdentityToken: token },
  publicKeyRequest: {
    publicKey: { algorithm: 'ECDSA', content: publicKey.export({ format: 'pem', type: 'spki' }) },
    proofOfPossession: sign('sha256', Buffer.from('signer@example.com'), privateKey).toString('base64'),
  },
});

const rows = [];
const row = (label, ours, mock, unit, higherIsBetter = true) => rows.push({ label, ours, mock, unit, higherIsBetter });

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`pnpm bench:stack: ${CLIENTS} clients, ${SEQUENTIAL} sequential and ${CONCURRENT} concurrent appends, proofs at ${FULL} entries; ${cpus().length} CPUs, load average ${load()}`);
const ours = await startRekor();
const mock = await startMock();

// Warm both (JIT, worker threads, connections).
await drive(ours.url, 4, 500, post(appends(500)));
await drive(mock.url, 4, 500, post(appends(500)));

const sequentialEntries = appends(SEQUENTIAL);
const oursOne = await drive(ours.url, 1, SEQUENTIAL, post(sequentialEntries));
const mockOne = await drive(mock.url, 1, SEQUENTIAL, post(sequentialEntries.map(([m, p, body]) => [m, p, Buffer.from(body)])));
row('appends/s, 1 client, sequential', oursOne.perSecond, mockOne.perSecond, '/s');
row('append latency, 1 client (mean)', oursOne.mean, mockOne.mean, 'ms', false);

const concurrentEntries = appends(CONCURRENT);
const oursMany = await drive(ours.url, CLIENTS, CONCURRENT, post(concurrentEntries));
const mockMany = await drive(mock.url, CLIENTS, CONCURRENT, post(concurrentEntries));
row(`appends/s, ${CLIENTS} clients`, oursMany.perSecond, mockMany.perSecond, '/s');
row(`append latency, ${CLIENTS} clients (p50)`, oursMany.p50, mockMany.p50, 'ms', false);
row(`append latency, ${CLIENTS} clients (p99)`, oursMany.p99, mockMany.p99, 'ms', false);

// The mock's signing path for scale: one Fulcio certificate per signature (its CA is the bound).
const mockSigns = await drive(mock.url, CLIENTS, 300, () => ['POST', '/api/v2/signingCert', certificateRequest]);
console.log(`(@sigstore/mock Fulcio alone, ${CLIENTS} clients: ${mockSigns.perSecond.toFixed(0)} certificates/s)`);

// Fill the log to FULL entries, then read inclusion proofs at random indexes.
const logged = 500 + SEQUENTIAL + CONCURRENT;
const fillStart = performance.now();
if (FULL > logged) await drive(ours.url, CLIENTS, FULL - logged, () => ['POST', '/api/v1/log/entries', fixtures.nextEntry()]);
const fillSeconds = (performance.now() - fillStart) / 1000;
console.log(`(filled to ${FULL} entries in ${fillSeconds.toFixed(1)} s: ${((FULL - logged) / fillSeconds).toFixed(0)} appends/s with ${CLIENTS} clients, entries made on the fly)`);
const reads = await drive(ours.url, 1, 2000, () => ['GET', `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * FULL)}`, undefined, 200]);
const mockLatency = await drive(mock.url, 1, 2000, () => ['POST', '/api/v1/log/entries', fixtures.nextEntry()]);
row(`inclusion proof (GET ?logIndex) at ${FULL}, mean`, reads.mean, mockLatency.mean, 'ms', false);
row(`inclusion proof (GET ?logIndex) at ${FULL}, p99`, reads.p99, mockLatency.p99, 'ms', false);
const readsConcurrent = await drive(ours.url, CLIENTS, 20_000, () => ['GET', `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * FULL)}`, undefined, 200]);
console.log(`(inclusion proofs at ${FULL}, ${CLIENTS} clients: ${readsConcurrent.perSecond.toFixed(0)}/s)`);

// Rekor v2: the same loads, answered with a proof against a freshly published checkpoint.
const v2 = await startRekorV2();
const appendsV2 = (count) => Array.from({ length: count }, () => ['POST', '/api/v2/log/entries', fixtures.nextEntryV2()]);
await drive(v2.url, 4, 500, post(appendsV2(500)));
const v2One = await drive(v2.url, 1, SEQUENTIAL, post(appendsV2(SEQUENTIAL)));
const v2Many = await drive(v2.url, CLIENTS, CONCURRENT, post(appendsV2(CONCURRENT)));
const v2Size = 500 + SEQUENTIAL + CONCURRENT;
const fullTiles = Math.floor(v2Size / 256);
const tileName = (i) => (i < 1000 ? String(i).padStart(3, '0') : `x${String(Math.floor(i / 1000)).padStart(3, '0')}/${String(i % 1000).padStart(3, '0')}`);
const tileReads = await drive(v2.url, CLIENTS, 20_000, () => ['GET', `/api/v2/tile/0/${tileName(Math.floor(Math.random() * fullTiles))}`, undefined, 200]);
const bundleReads = await drive(v2.url, CLIENTS, 5_000, () => ['GET', `/api/v2/tile/entries/${tileName(Math.floor(Math.random() * fullTiles))}`, undefined, 200]);
const checkpointReads = await drive(v2.url, CLIENTS, 20_000, () => ['GET', '/api/v2/checkpoint', undefined, 200]);
await v2.stop();
const v2rows = [
  ['appends/s, 1 client, sequential', v2One.perSecond, oursOne.perSecond, mockOne.perSecond, '/s', true],
  [`appends/s, ${CLIENTS} clients`, v2Many.perSecond, oursMany.perSecond, mockMany.perSecond, '/s', true],
  [`append latency, ${CLIENTS} clients (p99)`, v2Many.p99, oursMany.p99, mockMany.p99, 'ms', false],
  [`reads/s, ${CLIENTS} clients (v2: hash tiles; v1: entry+proof)`, tileReads.perSecond, readsConcurrent.perSecond, NaN, '/s', true],
  [`reads/s, ${CLIENTS} clients (v2: entry bundles, 256 entries)`, bundleReads.perSecond, readsConcurrent.perSecond, NaN, '/s', true],
];

await ours.stop();
const size = statSync(join(stateDir, 'entries.log')).size;
const restarted = await startRekor();
if (restarted.size !== FULL) throw new Error(`restart: expected ${FULL} entries, found ${restarted.size}`);
await restarted.stop();
await mock.stop();
rmSync(work, { recursive: true, force: true });

console.log('');
console.log(`${'measure'.padEnd(48)} ${'stack Rekor'.padStart(12)} ${'@sigstore/mock'.padStart(15)}   ratio`);
for (const { label, ours: a, mock: b, unit, higherIsBetter } of rows) {
  const ratio = higherIsBetter ? a / b : b / a;
  const format = (value) => `${value.toFixed(unit === 'ms' ? 2 : 0)} ${unit}`;
  console.log(`${label.padEnd(48)} ${format(a).padStart(12)} ${format(b).padStart(15)}   ${ratio.toFixed(2)}x ${ratio >= 1 ? 'better' : 'worse'}`);
}
console.log('(the mock has no read endpoint: its proof-latency column is its POST latency, a one-leaf proof made up on the spot)');
console.log(`restart at ${FULL} entries (${(size / 1e6).toFixed(0)} MB): ${restarted.openMs.toFixed(0)} ms to read and rebuild the log, ${restarted.readyMs.toFixed(0)} ms to serving`);
console.log(`load average at the end: ${load()} (other work on the machine lowers every figure)`);
console.log('');
console.log(`${'Rekor v2 (tiles)'.padEnd(48)} ${'v2'.padStart(12)} ${'v1'.padStart(12)} ${'@sigstore/mock'.padStart(15)}   v2/v1   v2/mock`);
for (const [label, a, b, c, unit, higherIsBetter] of v2rows) {
  const format = (value) => (Number.isNaN(value) ? '-' : `${value.toFixed(unit === 'ms' ? 2 : 0)} ${unit}`);
  const ratio = (x, y) => (Number.isNaN(y) ? '  -  ' : `${(higherIsBetter ? x / y : y / x).toFixed(2)}x`);
  console.log(`${label.padEnd(48)} ${format(a).padStart(12)} ${format(b).padStart(12)} ${format(c).padStart(15)}   ${ratio(a, b)}   ${ratio(a, c)}`);
}
console.log(`(Rekor v2 checkpoint reads, ${CLIENTS} clients: ${checkpointReads.perSecond.toFixed(0)}/s; tiles are files read from the tile directory, as a static server would; a v2 proof needs about two hash tiles per 8 tree levels)`);
console.log(`target: >= 2000 durable appends/s with ${CLIENTS} clients: ${oursMany.perSecond >= 2000 ? 'met' : 'not met'} (${oursMany.perSecond.toFixed(0)}/s)`);
