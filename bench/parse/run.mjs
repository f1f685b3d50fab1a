// pnpm bench:parse: bundle and certificate parsing, Sigil beside sigstore-js in the same run,
// on real production bundles. Best of several batches, microseconds per call.
import { loadFromSource } from '../load-from-source.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const sigil = await loadFromSource(join(here, 'entry.ts'));

function micros(fn, runs = 2000) {
  for (let i = 0; i < runs; i++) fn();
  let best = Infinity;
  for (let batch = 0; batch < 8; batch++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) fn();
    best = Math.min(best, ((performance.now() - start) * 1000) / runs);
  }
  return best;
}

const row = (label, ours, theirs) => console.log(`${label.padEnd(52)} sigil ${ours.toFixed(1).padStart(6)} µs   sigstore-js ${theirs.toFixed(1).padStart(6)} µs   ${(theirs / ours).toFixed(1)}x`);
for (const name of ['java-pkix-ecdsa-p256', 'py-v02-prod-gha-wheel', 'slsa-maven-v2.1.0']) {
  const text = readFileSync(join(repo, 'test-infra/fixtures/corpus', name, 'bundle.json'), 'utf8');
  row(`parse bundle ${name} (${text.length} B)`, micros(() => sigil.parseBundle(text)), micros(() => bundleFromJSON(JSON.parse(text))));
  const json = JSON.parse(text);
  const material = json.verificationMaterial;
  const leaf = sigil.decodeBase64((material.certificate ?? material.x509CertificateChain.certificates[0]).rawBytes);
  const buffer = Buffer.from(leaf);
  row(`parse leaf certificate of ${name} (${leaf.length} B)`, micros(() => sigil.parseCertificate(leaf)), micros(() => X509Certificate.parse(buffer)));
}
