// Lays out static TUF repositories from commits of a Sigstore root-signing git directory,
// exactly as the CDN (tuf-repo-cdn.sigstore.dev) serves them with consistent snapshots:
//   N.root.json (every root of the history), timestamp.json, V.snapshot.json, V.targets.json,
//   V.<delegated role>.json, targets/<hash>.<name> (one file per listed hash). Roles the
//   snapshot lists but the commit does not hold are reported and left out.
// Every target's bytes are checked against the hashes its targets metadata lists.
//
// usage: node scripts/layout-tuf-fixtures.mjs GIT_DIR OUT_DIR NAME=COMMIT [NAME=COMMIT ...]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [gitDir, outDir, ...pairs] = process.argv.slice(2);
if (!gitDir || !outDir || pairs.length === 0) {
  console.error('usage: node scripts/layout-tuf-fixtures.mjs GIT_DIR OUT_DIR NAME=COMMIT [NAME=COMMIT ...]');
  process.exit(2);
}

const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 64 << 20 });
const show = (commit, path) => git('show', `${commit}:${path}`);
const signedOf = (bytes) => JSON.parse(bytes.toString('utf8')).signed;

function write(dir, name, bytes) {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

function layTargets(commit, dir, targets) {
  for (const [name, info] of Object.entries(targets ?? {})) {
    const bytes = show(commit, `targets/${name}`);
    if (bytes.length !== info.length) throw new Error(`${commit} targets/${name}: expected length ${info.length}, found ${bytes.length}`);
    const slash = name.lastIndexOf('/');
    for (const [algorithm, digest] of Object.entries(info.hashes)) {
      const found = createHash(algorithm).update(bytes).digest('hex');
      if (found !== digest) throw new Error(`${commit} targets/${name}: expected ${algorithm} ${digest}, found ${found}`);
      write(dir, `targets/${name.slice(0, slash + 1)}${digest}.${name.slice(slash + 1)}`, bytes);
    }
  }
}

for (const pair of pairs) {
  const [name, ref] = pair.split('=');
  const commit = git('rev-parse', ref).toString().trim();
  const dir = join(outDir, name);
  rmSync(dir, { recursive: true, force: true });

  const roots = git('ls-tree', '--name-only', commit, 'metadata/root_history/').toString().trim().split('\n');
  for (const path of roots) write(dir, path.split('/').pop(), show(commit, path));

  const timestamp = show(commit, 'metadata/timestamp.json');
  write(dir, 'timestamp.json', timestamp);
  const snapshotVersion = signedOf(timestamp).meta['snapshot.json'].version;
  const snapshot = show(commit, 'metadata/snapshot.json');
  if (signedOf(snapshot).version !== snapshotVersion) throw new Error(`${commit}: timestamp names snapshot ${snapshotVersion}, found ${signedOf(snapshot).version}`);
  write(dir, `${snapshotVersion}.snapshot.json`, snapshot);

  const present = new Set(git('ls-tree', '--name-only', commit, 'metadata/').toString().trim().split('\n'));
  const skipped = [];
  for (const [file, meta] of Object.entries(signedOf(snapshot).meta)) {
    // The snapshot still lists roles of the pre-2025 repository (rekor, staging, revocation, a
    // delegated "root") whose files live only on the CDN; no target this client fetches is
    // delegated to them. metadata/root.json in git is the top-level root, not that role.
    if (file === 'root.json' || !present.has(`metadata/${file}`)) {
      skipped.push(file);
      continue;
    }
    const bytes = show(commit, `metadata/${file}`);
    const signed = signedOf(bytes);
    if (signed.version !== meta.version) throw new Error(`${commit}: snapshot names ${file} ${meta.version}, found ${signed.version}`);
    write(dir, `${meta.version}.${file}`, bytes);
    layTargets(commit, dir, signed.targets);
  }
  const when = git('log', '-1', '--format=%cI', commit).toString().trim();
  console.log(`${name}: ${commit} (${when}), ${roots.length} roots, timestamp ${signedOf(timestamp).version}, snapshot ${snapshotVersion}; not in git: ${skipped.join(', ')}`);
}
