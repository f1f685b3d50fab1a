// The first run: a local Sigstore (OIDC issuer, Fulcio, Rekor, TSA), a GitLab-like job
// identity, keyless signing of an artifact, and offline verification, including what a
// tampered artifact and a wrong identity look like. Run by scripts/demo.sh after set-up.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const sigilBin = join(repo, 'apps/cli/dist/sigil.cjs');
const stackBin = join(repo, 'test-infra/stack/dist/stack.mjs');
const work = mkdtempSync(join(tmpdir(), 'sigil-demo-'));
const step = (text) => console.log(`\n== ${text}`);
const show = (text) => console.log(text.trim().replace(/^/gm, '   '));

function sigil(args, env = {}) {
  const r = spawnSync(process.execPath, [sigilBin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const stack = spawn(process.execPath, [stackBin, 'up', '--state', join(work, 'stack')], { stdio: ['ignore', 'pipe', 'inherit'] });
let failed = false;
try {
  step('1. Start the local Sigstore stack (OIDC issuer, Fulcio, Rekor, TSA) on loopback');
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: stack.stdout }).once('line', resolve);
    stack.once('exit', (code) => reject(new Error(`stack exited with ${code}`)));
  });
  const urls = JSON.parse(line);
  show(`issuer ${urls.oidcIssuer}\nFulcio ${urls.fulcioURL}, Rekor ${urls.rekorURL}, TSA ${urls.tsaURL}`);

  step('2. Mint the ID token a GitLab job of my-group/my-project on main would get (aud: sigstore)');
  const claims = JSON.stringify({ ci_config_ref_uri: 'gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main', project_path: 'my-group/my-project' });
  const token = spawnSync(process.execPath, [stackBin, 'token', '--state', join(work, 'stack'), '--claims', claims], { encoding: 'utf8' }).stdout.trim();
  show(`SIGSTORE_ID_TOKEN = <${token.length} characters, never printed>`);

  step('3. sigil sign-blob artifact.txt --bundle artifact.txt.sigstore.json');
  writeFileSync(join(work, 'artifact.txt'), 'This is a build artifact\n');
  const env = { SIGSTORE_ID_TOKEN: token, COSIGN_YES: 'true', SIGIL_SIGNING_CONFIG: urls.signingConfig, SIGIL_TRUSTED_ROOT: urls.trustedRoot };
  const signed = sigil(['sign-blob', 'artifact.txt', '--bundle', 'artifact.txt.sigstore.json'], env);
  show(signed.out);
  if (signed.code !== 0) throw new Error('signing failed');

  const identity = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';
  const verifyArgs = (file, id) => ['verify-blob', file, '--bundle', 'artifact.txt.sigstore.json', '--certificate-identity', id, '--certificate-oidc-issuer', urls.oidcIssuer, '--trusted-root', urls.trustedRoot];
  step('4. sigil verify-blob with the identity and issuer a GitLab user would type (offline)');
  const ok = sigil(verifyArgs('artifact.txt', identity));
  show(ok.out);
  if (ok.code !== 0) throw new Error('verification failed');

  step('5. A tampered artifact is rejected');
  writeFileSync(join(work, 'tampered.txt'), 'This is not the build artifact\n');
  const tampered = sigil(verifyArgs('tampered.txt', identity));
  show(`${tampered.out}(exit ${tampered.code})`);
  if (tampered.code !== 1) throw new Error('a tampered artifact verified');

  step('6. Another identity (a branch that did not sign) is rejected');
  const wrong = sigil(verifyArgs('artifact.txt', identity.replace('heads/main', 'heads/feature')));
  show(`${wrong.out}(exit ${wrong.code})`);
  if (wrong.code !== 1) throw new Error('a wrong identity verified');

  step('Demo OK: signed keylessly, verified offline, tampering and impostors rejected');
} catch (err) {
  failed = true;
  console.error(`\nDemo failed: ${err.message}`);
} finally {
  stack.kill('SIGTERM');
  await new Promise((resolve) => stack.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
