import { describe, expect, it } from 'vitest';
import { checkProvenance, gitlabProvenance, ProvenanceError, readPackageJsonFromTarball, readProvenance, verifyNpmRegistrySignature } from '../src/index.js';
import { fixtureJson, fixtureText, npmCorpusCase, strongcoinJobEnv, tarball } from './helpers.js';

// A seeded generator: the same inputs on every run.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProvenanceError);
  }
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, true, '', 'x', [], {}, [null], { length: 3 }, '[MASKED]', 'git+', 'git+https://', 'https://', '@', 'refs/heads/', 'a'.repeat(1000)];

/** `value` with each of its positions in turn replaced by odd values (three picks per position). */
function* mutations(value: unknown, pick: () => number): Generator<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  for (const path of paths.flatMap((p) => (p.length === 0 ? [] : [p, p, p]))) {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let parent = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path.at(-1)!] = ODD_VALUES[Math.floor(pick() * ODD_VALUES.length)];
    yield copy;
  }
}

describe('robustness', () => {
  it('reads every field of real statements replaced by odd values with typed errors only', () => {
    const pick = random(1);
    const statements = [
      fixtureJson('npm-gitlab-strongcoin-0.0.13.statement.json'),
      fixtureJson('gitlab-docs-provenance-v1.statement.json'),
      fixtureJson('gitlab-runner-provenance-v1.statement.json'),
      npmCorpusCase('go-npm-provenance-sigstore-2.0.0').statement,
      npmCorpusCase('slsa-npm-ossf-delegator').statement,
    ];
    let count = 0;
    for (const statement of statements) {
      for (const mutated of mutations(statement, pick)) {
        onlyTypedErrors(() => readProvenance(mutated as object));
        count++;
      }
    }
    expect(count).toBeGreaterThan(600);
  });

  it('reads corrupted and truncated tarballs with typed errors only', async () => {
    const pick = random(2);
    const sources = [npmCorpusCase('slsa-npm-supreme-goggles').tarball, tarball([{ path: 'package/package.json', content: '{"name":"x","version":"1.0.0"}' }])];
    for (const source of sources) {
      for (let i = 0; i < 150; i++) {
        const bytes = source.slice(0, pick() < 0.3 ? Math.floor(pick() * source.length) : source.length);
        for (let flips = 1 + Math.floor(pick() * 3); flips > 0 && bytes.length > 0; flips--) {
          const at = Math.floor(pick() * bytes.length);
          bytes[at] = bytes[at]! ^ (1 + Math.floor(pick() * 255));
        }
        await readPackageJsonFromTarball(bytes).catch((err: unknown) => expect(err).toBeInstanceOf(ProvenanceError));
      }
    }
  });

  it('checks registry signatures of odd shapes with typed errors only', () => {
    const pick = random(3);
    const packument = fixtureJson<{ versions: Record<string, { dist: { integrity: string; signatures: unknown[] } }> }>('has-package-exports.packument.json');
    const options = { name: 'has-package-exports', version: '1.0.0', integrity: packument.versions['1.0.0']!.dist.integrity, signatures: packument.versions['1.0.0']!.dist.signatures, keys: JSON.parse(fixtureText('npm-registry-keys.json')), publishedAt: new Date('2020-01-09T07:54:56.613Z') };
    for (const mutated of mutations(options, pick)) {
      onlyTypedErrors(() => verifyNpmRegistrySignature(mutated as never));
    }
  });

  it('builds and checks provenance from odd environments, subjects and policies with typed errors only', () => {
    const pick = random(4);
    const subjects = [{ name: 'app.tgz', digest: { sha256: 'ab'.repeat(32) } }];
    for (const mutated of mutations({ env: strongcoinJobEnv(), subjects, startedOn: new Date(0) }, pick)) {
      onlyTypedErrors(() => gitlabProvenance(mutated as never));
    }
    const provenance = readProvenance(gitlabProvenance({ env: strongcoinJobEnv(), subjects }));
    const policy = { subjects: [{ name: 'app.tgz', digest: { sha256: 'ab'.repeat(32) } }], buildType: { kind: 'exact', value: 'x' }, builderId: 'b', sourceRepository: 'r', sourceCommit: 'ab'.repeat(20), sourceRef: 'refs/heads/main', configPath: '.gitlab-ci.yml' };
    for (const mutated of mutations(policy, pick)) {
      onlyTypedErrors(() => checkProvenance(provenance, mutated as never));
    }
  });
});
