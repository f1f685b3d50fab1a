// Distinct bundles for the verification benchmark: a few hundred small artifacts, each signed
// keylessly by Sigil against the local stack (Fulcio, Rekor v1; no TSA, as most public-good
// bundles), written to a directory with the stack's trusted root. The signing happens here, in
// the orchestrating process; the verifiers run in processes of their own, so nothing a signer
// remembered (Sigil checks each bundle it makes) can be reused by a verification.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFromSource } from '../load-from-source.mjs';
import { runBuild, startProcess } from '../start-process.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');

/** Signs `count` artifacts into `dir`; resolves with { dir, count, identity, issuer }. */
export async function makeDistinctBundles(dir, count) {
  const sigil = await loadFromSource(join(here, '../sign/sigil-entry.ts'));
  runBuild(join(repo, 'test-infra/stack/build.mjs'), ['--if-stale']);
  const stateDir = join(dir, 'stack');
  mkdirSync(stateDir, { recursive: true });
  const stack = await startProcess(join(repo, 'test-infra/stack/dist/stack.mjs'), ['up', '--state', stateDir]);
  try {
    const trust = sigil.loadTrustMaterialFile(stack.trustedRoot);
    const oidc = sigil.createOidcIssuer({ dir: join(stateDir, 'oidc'), issuerUrl: stack.oidcIssuer });
    copyFileSync(stack.trustedRoot, join(dir, 'trusted_root.json'));
    let identity;
    let issuer;
    for (let i = 0; i < count; i++) {
      const bytes = new Uint8Array(randomBytes(1024));
      const signed = await sigil.signBlob({ kind: 'bytes', bytes }, { identityToken: await oidc.mint({ expiresIn: 3600 }), fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, trust });
      writeFileSync(join(dir, `${i}.bin`), bytes);
      writeFileSync(join(dir, `${i}.sigstore.json`), JSON.stringify(signed.bundleJson));
      ({ identity, issuer } = signed);
    }
    const description = { count, identity, issuer };
    writeFileSync(join(dir, 'bundles.json'), JSON.stringify(description));
    return { dir, ...description };
  } finally {
    await stack.stop();
  }
}
