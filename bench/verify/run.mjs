// pnpm bench:verify: Sigil and sigstore-js side by side, in the same run. Prints absolute
// figures and the ratios the project tracks:
// - distinct bundles (the headline): a few hundred bundles signed by the local stack, each
//   verified once per process, Sigil and sigstore-js each in processes of their own;
// - one repeated production bundle, labelled as such: Sigil remembers signatures it checked,
//   so this measures its memo as much as its verifier;
// - cold whole processes (`sigil verify-blob` against `node -e 0`), and large artifacts.
// The machine may be shared: distinct-bundle and cold figures are medians over interleaved
// rounds (large artifacts: the best of three runs), and the load average is printed with them.
import { loadFromSource } from '../load-from-source.mjs';
import { runBuild } from '../start-process.mjs';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDistinctBundles } from './distinct-bundles.mjs';
import { createSigstoreJsVerifier } from './sigstore-js.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const example = join(repo, 'examples/rfc8785-wheel');
const bundlePath = join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json');
const artifactPath = join(example, 'rfc8785-0.1.2-py3-none-any.whl');
const rootPath = join(repo, 'test-infra/fixtures/corpus/trusted-roots/prod.json');
const identity = 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2';
const issuer = 'https://token.actions.githubusercontent.com';
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 400);
const WARMUP = Math.min(100, Math.floor(DISTINCT / 4));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const f = (n) => n.toFixed(1);
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
console.log(`load average at start: ${load()}`);

// The CLI exactly as users run it (one file, plus its optional code cache).
runBuild(join(repo, 'apps/cli/build.mjs'));
const sigil = await loadFromSource(join(here, 'sigil-entry.ts'));
const { makeSignedArtifact, IDENTITY: LARGE_IDENTITY, ISSUER: LARGE_ISSUER } = await loadFromSource(join(here, 'large-artifact.ts'));

// Distinct bundles: interleaved rounds, each verifier in a fresh process per round.
const distinctDir = mkdtempSync(join(tmpdir(), 'sigil-bench-distinct-'));
const distinct = { sigil: [], 'sigstore-js': [] };
const distinctCpu = { sigil: [], 'sigstore-js': [] };
try {
  await makeDistinctBundles(distinctDir, DISTINCT);
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of Object.keys(distinct)) {
      const r = spawnSync(process.execPath, [join(here, 'distinct-worker.mjs'), which, distinctDir, String(WARMUP)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`distinct-worker ${which} failed: ${r.stderr}`);
      const { perSecond, cpuMsPerBundle } = JSON.parse(r.stdout);
      distinct[which].push(perSecond);
      distinctCpu[which].push(cpuMsPerBundle);
    }
  }
} finally {
  rmSync(distinctDir, { recursive: true, force: true });
}
const distinctSigil = median(distinct.sigil);
const distinctJs = median(distinct['sigstore-js']);
const roundRatios = distinct.sigil.map((n, i) => n / distinct['sigstore-js'][i]);
console.log(`Distinct bundles: ${DISTINCT} signed by the local stack (v0.3, hashedrekord, Rekor v1 SET + inclusion proof), ${WARMUP} untimed warm-up, each verified once per process`);
console.log(`  sigil       ${f(distinctSigil)}/s  (median of ${ROUNDS} processes: ${distinct.sigil.map(f).join(', ')})`);
console.log(`  sigstore-js ${f(distinctJs)}/s  (median of ${ROUNDS} processes: ${distinct['sigstore-js'].map(f).join(', ')})`);
console.log(`  ratio       ${(distinctSigil / distinctJs).toFixed(2)}x sigstore-js (median per-round ratio ${median(roundRatios).toFixed(2)}x; target >= 6x)`);
const cpuSigil = median(distinctCpu.sigil);
const cpuJs = median(distinctCpu['sigstore-js']);
console.log(`  CPU time    sigil ${cpuSigil.toFixed(3)} ms, sigstore-js ${cpuJs.toFixed(3)} ms per bundle, all threads (median): ${(cpuJs / cpuSigil).toFixed(2)}x less`);
console.log('');

const bundleText = readFileSync(bundlePath, 'utf8');
const artifact = readFileSync(artifactPath);
const rootJson = JSON.parse(readFileSync(rootPath, 'utf8'));

// Warm: verifier built once, then parse + verify the bundle again and again.
async function rate(fn) {
  for (let i = 0; i < 50; i++) await fn();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const sigilVerifier = new sigil.Verifier(sigil.TrustMaterial.fromJson(rootJson));
const policy = { identities: [sigil.certificateIdentity({ identity, issuer })] };
const sigilArtifact = sigil.artifactFromBytes(new Uint8Array(artifact));
const jsVerify = createSigstoreJsVerifier(rootJson);

const warmSigil = await rate(() => sigilVerifier.verify(bundleText, sigilArtifact, policy));
const warmJs = await rate(() => jsVerify(bundleText, artifact, identity, issuer));
console.log(`Repeated bundle: ${bundlePath.replace(repo + '/', '')} (real production bundle, hashedrekord v0.2), the same bytes again and again`);
console.log('  (Sigil remembers the signatures it checked: this measures that memo, not a verification users see)');
console.log(`  sigil       ${f(warmSigil)}/s`);
console.log(`  sigstore-js ${f(warmJs)}/s`);
console.log(`  ratio       ${(warmSigil / warmJs).toFixed(2)}x sigstore-js, repeated bundle`);
console.log('');

// Cold: whole processes, each program interleaved with `node -e 0` (cold-start.mjs says why).
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 21);
const verifyBlobArgs = ['verify-blob', artifactPath, '--bundle', bundlePath, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer];
const coldRun = spawnSync(
  process.execPath,
  [
    join(here, 'cold-start.mjs'),
    String(coldRuns),
    JSON.stringify({
      sigil: [join(repo, 'apps/cli/dist/sigil.cjs'), ...verifyBlobArgs],
      sigilEsm: [join(repo, 'apps/cli/dist/sigil.mjs'), ...verifyBlobArgs],
      js: [join(here, 'sigstore-js-cli.mjs'), rootPath, bundlePath, artifactPath, identity, issuer],
    }),
  ],
  { encoding: 'utf8' },
);
if (coldRun.status !== 0) throw new Error(`cold-start.mjs failed: ${coldRun.stderr}`);
const cold = JSON.parse(coldRun.stdout);
const over = ({ node, program }) => `node -e 0 (${f(node)} ms) + ${f(program - node)} ms`;

console.log(`Cold whole-process time, median of ${coldRuns}, each program interleaved with node -e 0 (load average ${load()})`);
console.log(`  sigil verify-blob          ${f(cold.sigil.program)} ms = ${over(cold.sigil)}  (dist/sigil.cjs, the bin; target <= +20 ms)`);
console.log(`  sigil verify-blob          ${f(cold.sigilEsm.program)} ms = ${over(cold.sigilEsm)}  (dist/sigil.mjs)`);
console.log(`  sigstore-js minimal script ${f(cold.js.program)} ms = ${over(cold.js)}`);
console.log(`  ratio                      sigil takes ${((cold.sigil.program - cold.sigil.node) / (cold.js.program - cold.js.node)).toFixed(2)}x sigstore-js's time over node`);
if (process.env.NODE_EXTRA_CA_CERTS) console.log(`  (NODE_EXTRA_CA_CERTS is set: Node reads ${process.env.NODE_EXTRA_CA_CERTS} at every start, in node -e 0 too)`);

// Large artifacts: one streaming pass is the floor; memory must not grow with the size.
// Each process runs under /usr/bin/time for its wall time and peak RSS.
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const [seconds, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms: seconds * 1000, rssMiB: kb / 1024 };
}
function best(runs, args) {
  const results = Array.from({ length: runs }, () => timed(args));
  return { ms: Math.min(...results.map((r) => r.ms)), rssMiB: Math.max(...results.map((r) => r.rssMiB)) };
}
const hashScript = "const h=require('crypto').createHash('sha256');require('fs').createReadStream(process.argv[1],{highWaterMark:1<<20}).on('data',c=>h.update(c)).on('end',()=>h.digest())";
const largeDir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
const MiB = 1024 * 1024;
// BENCH_LARGE_MIB=none skips them.
const sizes = (process.env.BENCH_LARGE_MIB ?? '64,256').split(',').filter((s) => s !== 'none').map(Number);
const large = [];
try {
  for (const size of sizes) {
    const { artifact, bundle, trustedRoot } = makeSignedArtifact(largeDir, size * MiB);
    const flags = ['--bundle', bundle, '--certificate-identity', LARGE_IDENTITY, '--certificate-oidc-issuer', LARGE_ISSUER, '--trusted-root', trustedRoot];
    large.push({
      size,
      sha: best(3, ['-e', hashScript, artifact]),
      sigil: best(3, [join(repo, 'apps/cli/dist/sigil.cjs'), 'verify-blob', artifact, ...flags]),
      js: best(1, [join(here, 'sigstore-js-cli.mjs'), trustedRoot, bundle, artifact, LARGE_IDENTITY, LARGE_ISSUER]),
    });
  }
} finally {
  rmSync(largeDir, { recursive: true, force: true });
}
if (large.length > 0) console.log('');
if (large.length > 0) console.log('large artifacts (best of 3 wall times; whole processes, startup included)');
for (const { size, sha, sigil: s, js } of large) {
  const rate = (ms) => ((size * 1000) / ms).toFixed(0);
  console.log(`  ${size} MiB: one SHA-256 pass ${f(sha.ms)} ms (${rate(sha.ms)} MiB/s); sigil ${f(s.ms)} ms (${rate(s.ms)} MiB/s, ${(sha.ms / s.ms * 100).toFixed(0)}% of the pass); sigstore-js ${f(js.ms)} ms (${rate(js.ms)} MiB/s)`);
  console.log(`  ${size} MiB: peak RSS: hash pass ${f(sha.rssMiB)} MiB, sigil ${f(s.rssMiB)} MiB, sigstore-js ${f(js.rssMiB)} MiB`);
}
if (large.length > 1) {
  const [a, b] = [large[0], large[large.length - 1]];
  console.log(`  sigil peak RSS from ${a.size} to ${b.size} MiB: ${f(a.sigil.rssMiB)} -> ${f(b.sigil.rssMiB)} MiB; sigstore-js ${f(a.js.rssMiB)} -> ${f(b.js.rssMiB)} MiB`);
}
console.log(`load average at the end: ${load()}`);
