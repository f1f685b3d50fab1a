// pnpm bench:verify: Sigil and sigstore-js side by side, in the same run, on the same real
// production bundle. Prints absolute figures and the ratios the project tracks.
import { loadFromSource } from '../load-from-source.mjs';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

// The CLI exactly as users run it (bundle plus code cache).
spawnSync(process.execPath, [join(repo, 'apps/cli/build.mjs')], { stdio: 'inherit' });
const sigil = await loadFromSource(join(here, 'sigil-entry.ts'));
const { makeSignedArtifact, IDENTITY: LARGE_IDENTITY, ISSUER: LARGE_ISSUER } = await loadFromSource(join(here, 'large-artifact.ts'));

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

// Cold: whole processes, median of N runs each, interleaved.
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function timeProcess(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 15);
const cold = { node: [], sigil: [], js: [] };
for (let i = 0; i < coldRuns; i++) {
  cold.node.push(timeProcess(['-e', '0']));
  cold.sigil.push(timeProcess([join(repo, 'apps/cli/dist/sigil.mjs'), 'verify-blob', artifactPath, '--bundle', bundlePath, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]));
  cold.js.push(timeProcess([join(here, 'sigstore-js-cli.mjs'), rootPath, bundlePath, artifactPath, identity, issuer]));
}
const coldNode = median(cold.node);
const coldSigil = median(cold.sigil);
const coldJs = median(cold.js);

const f = (n) => n.toFixed(1);
console.log(`Bundle: ${bundlePath.replace(repo + '/', '')} (real production bundle, hashedrekord v0.2)`);
console.log('');
console.log('warm verifications per second (parse + verify, verifier reused)');
console.log(`  sigil       ${f(warmSigil)}/s`);
console.log(`  sigstore-js ${f(warmJs)}/s`);
console.log(`  ratio       ${(warmSigil / warmJs).toFixed(2)}x sigstore-js (target >= 5x)`);
console.log('');
console.log(`cold whole-process time, median of ${coldRuns}`);
console.log(`  node -e 0                 ${f(coldNode)} ms`);
console.log(`  sigil verify-blob         ${f(coldSigil)} ms  (node -e 0 + ${f(coldSigil - coldNode)} ms; target <= +25 ms)`);
console.log(`  sigstore-js minimal script ${f(coldJs)} ms  (node -e 0 + ${f(coldJs - coldNode)} ms)`);
console.log(`  ratio                     sigil takes ${(coldSigil / coldJs).toFixed(2)}x sigstore-js's time`);

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
const sizes = (process.env.BENCH_LARGE_MIB ?? '64,256').split(',').map(Number);
const large = [];
try {
  for (const size of sizes) {
    const { artifact, bundle, trustedRoot } = makeSignedArtifact(largeDir, size * MiB);
    const flags = ['--bundle', bundle, '--certificate-identity', LARGE_IDENTITY, '--certificate-oidc-issuer', LARGE_ISSUER, '--trusted-root', trustedRoot];
    large.push({
      size,
      sha: best(3, ['-e', hashScript, artifact]),
      sigil: best(3, [join(repo, 'apps/cli/dist/sigil.mjs'), 'verify-blob', artifact, ...flags]),
      js: best(1, [join(here, 'sigstore-js-cli.mjs'), trustedRoot, bundle, artifact, LARGE_IDENTITY, LARGE_ISSUER]),
    });
  }
} finally {
  rmSync(largeDir, { recursive: true, force: true });
}
console.log('');
console.log('large artifacts (best of 3 wall times; whole processes, startup included)');
for (const { size, sha, sigil: s, js } of large) {
  const rate = (ms) => ((size * 1000) / ms).toFixed(0);
  console.log(`  ${size} MiB: one SHA-256 pass ${f(sha.ms)} ms (${rate(sha.ms)} MiB/s); sigil ${f(s.ms)} ms (${rate(s.ms)} MiB/s, ${(sha.ms / s.ms * 100).toFixed(0)}% of the pass); sigstore-js ${f(js.ms)} ms (${rate(js.ms)} MiB/s)`);
  console.log(`  ${size} MiB: peak RSS: hash pass ${f(sha.rssMiB)} MiB, sigil ${f(s.rssMiB)} MiB, sigstore-js ${f(js.rssMiB)} MiB`);
}
if (large.length > 1) {
  const [a, b] = [large[0], large[large.length - 1]];
  console.log(`  sigil peak RSS from ${a.size} to ${b.size} MiB: ${f(a.sigil.rssMiB)} -> ${f(b.sigil.rssMiB)} MiB; sigstore-js ${f(a.js.rssMiB)} -> ${f(b.js.rssMiB)} MiB`);
}
