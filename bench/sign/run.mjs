// pnpm bench:sign: keyless signing, Sigil and sigstore-js side by side in the same run against
// the same local stack (Fulcio, Rekor v1 and the TSA). The stack runs in a child process so
// that process.cpuUsage() here counts the clients' CPU only. Prints client CPU per sign, signs
// per second (sequential and 8 in flight), the throughput on a 256 MiB artifact, and the
// ratios against the targets.
import { loadFromSource } from '../load-from-source.mjs';
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sign as sigstoreJsSign } from 'sigstore';
import { runBuild, startProcess } from '../start-process.mjs';
import { createSigstoreJsVerifier } from '../verify/sigstore-js.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const SEQUENTIAL = Number(process.env.BENCH_SIGNS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = 8;
const CONCURRENT = Number(process.env.BENCH_CONCURRENT_SIGNS ?? 400);
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 256);
const LARGE_RUNS = Number(process.env.BENCH_LARGE_RUNS ?? 5);
const PHASE_SIGNS = 50;

const sigil = await loadFromSource(join(here, 'sigil-entry.ts'));
runBuild(join(repo, 'test-infra/stack/build.mjs'), ['--if-stale']);

const work = mkdtempSync(join(tmpdir(), 'sigil-bench-sign-'));
const stateDir = join(work, 'stack');
const stack = await startProcess(join(repo, 'test-infra/stack/dist/stack.mjs'), ['up', '--state', stateDir]);
try {
  await run();
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}

async function run() {
  const trust = sigil.loadTrustMaterialFile(stack.trustedRoot);
  const issuer = sigil.createOidcIssuer({ dir: join(stateDir, 'oidc'), issuerUrl: stack.oidcIssuer });
  // Tokens are minted before any measurement: minting is the CI system's work, not the client's.
  const tokens = [];
  const total = 3 * (20 + ROUNDS * SEQUENTIAL) + 2 * CONCURRENT + 3 * LARGE_RUNS + PHASE_SIGNS;
  for (let i = 0; i < total; i++) tokens.push(await issuer.mint({ expiresIn: 3600 }));
  const token = () => tokens.pop();
  const claims = JSON.parse(Buffer.from(tokens[0].split('.')[1], 'base64url').toString());
  const jsVerify = createSigstoreJsVerifier(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));

  const small = new TextEncoder().encode('a small artifact, signed again and again\n');
  const clients = {
    sigil: (artifact) =>
      sigil.signBlob(artifact, { identityToken: token(), fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, tsaURL: stack.tsaURL, trust }),
    'sigstore-js': (payload) =>
      sigstoreJsSign(payload, { identityToken: token(), fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, tsaServerURL: stack.tsaURL }),
  };
  // For context only: sigstore-js signing and then verifying its bundle, the checks Sigil makes.
  const signAndVerify = async (payload) => {
    const bundle = await clients['sigstore-js'](payload);
    jsVerify(JSON.stringify(bundle), payload, `https://${claims.ci_config_ref_uri}`, claims.iss);
  };
  const smallFor = { sigil: () => ({ kind: 'bytes', bytes: small }), 'sigstore-js': () => Buffer.from(small), 'sigstore-js + verify': () => Buffer.from(small) };
  const sequentialClients = { ...clients, 'sigstore-js + verify': signAndVerify };

  // Warm both up (JIT, connections, lazily loaded code).
  for (const name of Object.keys(sequentialClients)) for (let i = 0; i < 20; i++) await sequentialClients[name](smallFor[name]());

  // Sequential, in interleaved rounds: client CPU (this process only: the stack is another
  // process) and wall time.
  const sequential = Object.fromEntries(Object.keys(sequentialClients).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(sequentialClients)) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < SEQUENTIAL; i++) await sequentialClients[name](smallFor[name]());
      const wallMs = performance.now() - start;
      const used = process.cpuUsage(cpu);
      sequential[name].push({ cpuMsPerSign: (used.user + used.system) / 1000 / SEQUENTIAL, signsPerSecond: (SEQUENTIAL * 1000) / wallMs });
    }
  }

  // Where Sigil's client CPU goes: the CPU used between the pipeline's steps.
  const phases = {};
  for (let i = 0; i < PHASE_SIGNS; i++) {
    let last = process.cpuUsage();
    const step = (name) => {
      const used = process.cpuUsage(last);
      phases[name] = (phases[name] ?? 0) + (used.user + used.system) / 1000 / PHASE_SIGNS;
      last = process.cpuUsage();
    };
    await sigil.signBlob(smallFor.sigil(), { identityToken: token(), fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, tsaURL: stack.tsaURL, trust, onStep: step });
  }

  // 8 in flight: wall-clock rate, and client CPU per sign under load.
  const concurrent = {};
  for (const name of Object.keys(clients)) {
    let next = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next++ < CONCURRENT) await clients[name](smallFor[name]());
      }),
    );
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    concurrent[name] = { signsPerSecond: (CONCURRENT * 1000) / wallMs, cpuMsPerSign: (used.user + used.system) / 1000 / CONCURRENT };
  }

  // A large artifact: Sigil streams the file once (4 MiB reads); sigstore-js is handed the
  // whole file as a Buffer (read beforehand, not timed). One SHA-256 pass is the floor.
  const largePath = join(work, 'large.bin');
  writeLargeFile(largePath, LARGE_MIB);
  const bytes = LARGE_MIB * 1024 * 1024;
  // Read as the CLI reads large files (apps/cli/src/files.ts STREAM_CHUNK_BYTES).
  const streamOf = () => createReadStream(largePath, { highWaterMark: 4 * 1024 * 1024 });
  // Interleaved runs, best of each: other load on the machine hits both sides alike.
  const timed = async (fn) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const large = { shaFile: Infinity, sigil: Infinity, sigilTiny: Infinity, shaBuffer: Infinity, sigstoreJs: Infinity };
  // The same streamed path with one byte: what a sign costs besides hashing.
  const tinyStream = async function* () {
    yield small;
  };
  for (let i = 0; i < LARGE_RUNS; i++) {
    large.shaFile = Math.min(large.shaFile, await timed(async () => {
      const h = createHash('sha256');
      for await (const chunk of streamOf()) h.update(chunk);
      h.digest();
    }));
    large.sigil = Math.min(large.sigil, await timed(() => clients.sigil({ kind: 'stream', chunks: streamOf() })));
    large.sigilTiny = Math.min(large.sigilTiny, await timed(() => clients.sigil({ kind: 'stream', chunks: tinyStream() })));
  }
  let buffer = readFileSync(largePath);
  for (let i = 0; i < LARGE_RUNS; i++) {
    large.shaBuffer = Math.min(large.shaBuffer, await timed(async () => createHash('sha256').update(buffer).digest()));
    large.sigstoreJs = Math.min(large.sigstoreJs, await timed(() => clients['sigstore-js'](buffer)));
  }
  buffer = undefined;

  report(sequential, concurrent, phases, large, bytes);
}

function writeLargeFile(path, mib) {
  const chunk = randomFillSync(Buffer.alloc(1024 * 1024));
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(sequential, concurrent, phases, large, bytes) {
  const f = (n, digits = 2) => n.toFixed(digits);
  const cpu = (name) => median(sequential[name].map((r) => r.cpuMsPerSign));
  const rate = (name) => median(sequential[name].map((r) => r.signsPerSecond));
  const all = (name) => sequential[name].map((r) => f(r.cpuMsPerSign)).join(', ');
  const gbps = (ms) => bytes / (ms / 1000) / 1e9;
  const cpuRatio = cpu('sigil') / cpu('sigstore-js');

  console.log(`Local stack (child process ${stack.pid}): Fulcio, Rekor v1 and TSA at ${stack.fulcioURL}; every sign gets a certificate, a Rekor entry and a timestamp`);
  console.log('Sigil signBlob checks each answer and verifies the bundle before returning it; sigstore-js sign checks neither.');
  console.log('');
  console.log(`client CPU per keyless sign (this process; ${ROUNDS} rounds of ${SEQUENTIAL} sequential signs, median)`);
  console.log(`  sigil        ${f(cpu('sigil'))} ms  (rounds: ${all('sigil')})`);
  console.log(`  sigstore-js  ${f(cpu('sigstore-js'))} ms  (rounds: ${all('sigstore-js')})`);
  console.log(`  ratio        sigil uses ${f(cpuRatio)}x sigstore-js's CPU (target <= 0.50x: ${cpuRatio <= 0.5 ? 'met' : 'NOT met'})`);
  console.log(`  for context: sigstore-js sign + verify of its bundle ${f(cpu('sigstore-js + verify'))} ms (rounds: ${all('sigstore-js + verify')}); sigil ${f(cpu('sigil') / cpu('sigstore-js + verify'))}x that`);
  const steps = { 'token-checked': 'token pre-flight', 'certificate-issued': 'key, Fulcio request, certificate checks', 'artifact-signed': 'hash and signature', 'entry-logged': 'Rekor request, entry checks', timestamped: 'TSA request', 'bundle-verified': 'bundle verified' };
  console.log(`  sigil by step (${PHASE_SIGNS} signs): ${Object.entries(steps).map(([step, what]) => `${what} ${f(phases[step] ?? 0)} ms`).join('; ')}`);
  console.log('');
  console.log('signs per second');
  console.log(`  sequential   sigil ${f(rate('sigil'), 1)}/s, sigstore-js ${f(rate('sigstore-js'), 1)}/s (${f(rate('sigil') / rate('sigstore-js'))}x)`);
  console.log(
    `  ${IN_FLIGHT} in flight  sigil ${f(concurrent.sigil.signsPerSecond, 1)}/s, sigstore-js ${f(concurrent['sigstore-js'].signsPerSecond, 1)}/s (${f(concurrent.sigil.signsPerSecond / concurrent['sigstore-js'].signsPerSecond)}x; ${CONCURRENT} signs each)`,
  );
  console.log(`  client CPU per sign at ${IN_FLIGHT} in flight: sigil ${f(concurrent.sigil.cpuMsPerSign)} ms, sigstore-js ${f(concurrent['sigstore-js'].cpuMsPerSign)} ms`);
  console.log('');
  console.log(`${bytes / 1024 / 1024} MiB artifact (best of ${LARGE_RUNS} interleaved runs; whole keyless sign, wall time; GB = 10^9 bytes)`);
  console.log(`  one SHA-256 pass over the file stream  ${f(large.shaFile, 0)} ms  (${f(gbps(large.shaFile))} GB/s)`);
  console.log(`  one SHA-256 pass over the Buffer       ${f(large.shaBuffer, 0)} ms  (${f(gbps(large.shaBuffer))} GB/s)`);
  console.log(`  sigil (streams the file once)          ${f(large.sigil, 0)} ms  (${f(gbps(large.sigil))} GB/s; target >= 1.5 GB/s: ${gbps(large.sigil) >= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`  sigstore-js (given the Buffer)         ${f(large.sigstoreJs, 0)} ms  (${f(gbps(large.sigstoreJs))} GB/s)`);
  console.log(`  ratio                                  sigil ${f(gbps(large.sigil) / gbps(large.sigstoreJs))}x sigstore-js's throughput; ${f((large.shaFile / large.sigil) * 100, 0)}% of one SHA-256 pass over the file`);
  console.log(`  of sigil's time, ${f(large.sigilTiny, 0)} ms is what a streamed sign of one byte takes (best of ${LARGE_RUNS}): the rest hashes at ${f(bytes / ((large.sigil - large.sigilTiny) / 1000) / 1e9)} GB/s`);
}
