import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, packageOf, reachableFiles, repoRoot } from './import-graph.js';

// The layers of docs/ARCHITECTURE.md: a package imports only from lower layers.
const LAYERS: Record<string, number> = {
  errors: 0,
  encoding: 1,
  crypto: 2,
  keys: 3,
  x509: 3,
  merkle: 3,
  oidc: 3,
  'http-client': 3,
  bundle: 4,
  fulcio: 4,
  rekor: 4,
  tsa: 4,
  trust: 5,
  tuf: 5,
  verify: 6,
  sign: 7,
  oci: 8,
  provenance: 8,
};

// The verifier's trust boundary: nothing that talks to the network or signs.
const SIGNING_OR_NETWORK_PACKAGES = ['oidc', 'keys', 'http-client', 'fulcio', 'sign', 'oci', 'tuf'];
const NETWORK_MODULES = /^(node:)?(http|https|http2|net|tls|dgram|dns|child_process)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const packages = readdirSync(join(repoRoot, 'packages'));

describe('package layers', () => {
  it('every package has a layer', () => {
    expect(packages.filter((p) => LAYERS[p] === undefined)).toEqual([]);
  });

  it.each(packages)('%s imports only from lower layers, through public entry points', (name) => {
    const violations: string[] = [];
    for (const file of sourceFiles(join(repoRoot, 'packages', name, 'src'))) {
      for (const specifier of importsOf(file)) {
        const target = /^@sigil\/([^/]+)(\/.*)?$/.exec(specifier);
        const escapes = specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(join(repoRoot, 'packages', name, 'src'));
        if (escapes || /^@sigil\/[^/]+\/src\//.test(specifier)) violations.push(`${relative(repoRoot, file)} reaches into ${specifier}`);
        if (!target) continue;
        const layer = LAYERS[target[1]!];
        if (layer === undefined || layer >= LAYERS[name]!) {
          violations.push(`${relative(repoRoot, file)} (layer ${LAYERS[name]}) imports ${specifier} (layer ${layer})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('declares every @sigil import as a dependency in package.json', () => {
    const missing: string[] = [];
    for (const name of packages) {
      const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'));
      const deps = new Set(Object.keys(manifest.dependencies ?? {}));
      for (const file of sourceFiles(join(repoRoot, 'packages', name, 'src'))) {
        for (const specifier of importsOf(file)) {
          const pkg = /^(@[^/]+\/[^/]+|[^@./][^/]*)/.exec(specifier)?.[1];
          if (!pkg || pkg.startsWith('node:') || pkg === `@sigil/${name}`) continue;
          if (!deps.has(pkg)) missing.push(`${name}: ${pkg}`);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('the verifier trust boundary', () => {
  const reached = [...reachableFiles(join(repoRoot, 'packages/verify/src/index.ts'))];

  it('reaches no signing or network package', () => {
    expect(reached.filter((file) => SIGNING_OR_NETWORK_PACKAGES.includes(packageOf(file) ?? ''))).toEqual([]);
    expect(reached.filter((file) => file.includes('/packages/rekor/src/client/'))).toEqual([]);
  });

  it('imports no network module and calls no fetch', () => {
    const offenders = reached.filter((file) => importsOf(file).some((s) => NETWORK_MODULES.test(s)) || /\bfetch\s*\(/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('really follows the graph (sanity check)', () => {
    const pkgs = new Set(reached.map(packageOf));
    for (const expected of ['bundle', 'x509', 'merkle', 'rekor', 'trust', 'crypto', 'encoding']) expect(pkgs).toContain(expected);
  });
});
