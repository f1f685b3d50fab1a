// One verifier in a process of its own: verifies every bundle of a distinct-bundles directory
// exactly once, the first `warmup` of them untimed (JIT, lazily loaded code), and prints the
// rate over the rest as JSON. Usage: distinct-worker.mjs sigil|sigstore-js DIR WARMUP
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigstoreJsVerifier } from './sigstore-js.mjs';

const [which, dir, warmupText] = process.argv.slice(2);
const warmup = Number(warmupText);
const { count, identity, issuer } = JSON.parse(readFileSync(join(dir, 'bundles.json'), 'utf8'));
const rootJson = JSON.parse(readFileSync(join(dir, 'trusted_root.json'), 'utf8'));
const inputs = Array.from({ length: count }, (_, i) => ({
  bundleText: readFileSync(join(dir, `${i}.sigstore.json`), 'utf8'),
  artifact: readFileSync(join(dir, `${i}.bin`)),
}));

let verify;
if (which === 'sigil') {
  const sigil = await import(join(import.meta.dirname, '.build/sigil-entry.mjs'));
  const verifier = new sigil.Verifier(sigil.TrustMaterial.fromJson(rootJson));
  const policy = { identities: [sigil.certificateIdentity({ identity, issuer })] };
  verify = ({ bundleText, artifact }) => verifier.verify(bundleText, sigil.artifactFromBytes(new Uint8Array(artifact)), policy);
} else {
  const jsVerify = createSigstoreJsVerifier(rootJson);
  verify = async ({ bundleText, artifact }) => jsVerify(bundleText, artifact, identity, issuer);
}

for (const input of inputs.slice(0, warmup)) await verify(input);
const timed = inputs.slice(warmup);
const cpu = process.cpuUsage();
const start = performance.now();
for (const input of timed) await verify(input);
const ms = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
// CPU per bundle (all threads) is steadier than the rate on a machine shared with other work.
console.log(JSON.stringify({ which, bundles: timed.length, perSecond: (timed.length * 1000) / ms, cpuMsPerBundle: (user + system) / 1000 / timed.length }));
