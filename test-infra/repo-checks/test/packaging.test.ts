import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsOf, repoRoot } from './import-graph.js';
import { EXAMPLE_FILES, PUBLISHED_API, TYPE_USAGE } from './published-api.js';
import { errorCodes, readReadme } from './readme.js';
import { buildPackages, npmInstall, packPackages, run, writeScratchManifest } from './scratch-project.js';

// The packages as users get them: built, packed with pnpm, installed with npm into a project
// outside the repository, then imported by name, their README examples run with node and
// their types compiled with tsc. Third-party dependencies come from the npm registry.
// SIGIL_KEEP_SCRATCH=1 keeps the scratch project for a look after the run.

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  license?: string;
  engines?: Record<string, string>;
  exports?: Record<string, { types?: string; default?: string }>;
  dependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const packageDir = (name: string) => join(repoRoot, 'packages', name);
const published = readdirSync(join(repoRoot, 'packages'))
  .filter((name) => existsSync(join(packageDir(name), 'package.json')) && !readJson<Manifest>(join(packageDir(name), 'package.json')).private)
  .sort();
const typesNodeRange = readJson<{ devDependencies: Record<string, string> }>(join(repoRoot, 'package.json')).devDependencies['@types/node']!;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let scratch = '';
const installed = (name: string) => join(scratch, 'node_modules/@sigil', name);

// Imports a package by name from the scratch project and prints each export's typeof.
const LIST_EXPORTS = `const m = await import(process.argv[2]);
console.log(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]))));
`;

describe('published packages', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sigil-packaging-'));
    await buildPackages(repoRoot);
    const tarballs = await packPackages(published.map(packageDir), join(scratch, 'tarballs'));
    writeScratchManifest(scratch, 'tarballs', tarballs, { '@types/node': typesNodeRange });
    await npmInstall(scratch);
    writeFileSync(join(scratch, 'list-exports.mjs'), LIST_EXPORTS);
    mkdirSync(join(scratch, 'examples'));
    for (const [file, source] of Object.entries(EXAMPLE_FILES)) copyFileSync(join(repoRoot, source), join(scratch, 'examples', file));
  }, 300_000);

  afterAll(() => {
    if (scratch && process.env.SIGIL_KEEP_SCRATCH !== '1') rmSync(scratch, { recursive: true, force: true });
  });

  it('every published package has its API listed in published-api.ts', () => {
    expect(published.filter((name) => !PUBLISHED_API[name])).toEqual([]);
  });

  describe.each(published)('@sigil/%s', (name) => {
    it('installs from its tarball with a manifest fit for publishing', () => {
      const manifest = readJson<Manifest>(join(installed(name), 'package.json'));
      expect(manifest.name).toBe(`@sigil/${name}`);
      expect(manifest).toMatchObject({ type: 'module', sideEffects: false, engines: { node: '>=20.19' } });
      expect(manifest.license).toBeTruthy();
      const entry = manifest.exports?.['.'];
      expect(Object.keys(entry ?? {})).toEqual(['types', 'default']);
      for (const target of [entry!.types!, entry!.default!]) {
        expect(target).toMatch(/^\.\/dist\//);
        expect(existsSync(join(installed(name), target)), target).toBe(true);
      }
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(range, dependency).not.toMatch(/^workspace:/);
        if (dependency.startsWith('@sigil/')) expect(range, dependency).toBe(readJson<Manifest>(join(installed(dependency.slice(7)), 'package.json')).version);
      }
      // Only the build output and the README ship: no sources, tests or build configs.
      expect(readdirSync(installed(name)).filter((f) => !['package.json', 'README.md', 'LICENSE', 'dist'].includes(f))).toEqual([]);
      const distFiles = readdirSync(join(installed(name), 'dist'), { recursive: true }).map(String);
      expect(distFiles.filter((f) => /\.test\.|(^|\/)test\//.test(f))).toEqual([]);
      // One copy of each @sigil package: the overrides made every dependency resolve to the tarballs.
      expect(existsSync(join(installed(name), 'node_modules/@sigil'))).toBe(false);
    });

    // npm's flat node_modules would hide an undeclared dependency here; a pnpm user would not be so lucky.
    it('imports exactly the dependencies it declares (type-only ones from its .d.ts files)', () => {
      const manifest = readJson<Manifest>(join(installed(name), 'package.json'));
      const dist = join(installed(name), 'dist');
      const packagesImportedBy = (suffix: string) =>
        new Set(
          readdirSync(dist, { recursive: true })
            .map(String)
            .filter((file) => file.endsWith(suffix))
            .flatMap((file) => importsOf(join(dist, file)))
            .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
            .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')),
        );
      const imported = packagesImportedBy('.js');
      const typed = packagesImportedBy('.d.ts');
      const declared = Object.keys(manifest.dependencies ?? {});
      expect([...imported].filter((dependency) => !declared.includes(dependency))).toEqual([]);
      expect(declared.filter((dependency) => !imported.has(dependency) && !typed.has(dependency))).toEqual([]);
    });

    it('imports by name with plain node and exports its documented API', async () => {
      const result = await run(process.execPath, ['list-exports.mjs', `@sigil/${name}`], scratch);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const exported = JSON.parse(result.stdout) as Record<string, string>;
      const api = PUBLISHED_API[name]?.values ?? [];
      expect(api.filter((value) => exported[value] === undefined || exported[value] === 'undefined')).toEqual([]);
    });

    it('has a README: one sentence, a runnable example, the API and the error codes', () => {
      const readme = readReadme(packageDir(name));
      expect(readme.title).toBe(`@sigil/${name}`);
      expect(readme.intro).not.toContain('\n\n');
      expect(readme.intro).not.toMatch(/[.!?]\s+[A-Z]/);
      expect(readme.intro).toMatch(/\.$/);
      expect(readme.example).toMatch(new RegExp(`from '@sigil/${name}'`));
      const undocumented = (PUBLISHED_API[name]?.values ?? []).filter((value) => !new RegExp(`\\b${value}\\b`).test(readme.text));
      expect(undocumented).toEqual([]);
      expect(errorCodes(packageDir(name)).filter((code) => !readme.text.includes(`\`${code}\``))).toEqual([]);
    });

    it('runs its README example with node', async () => {
      const example = readReadme(packageDir(name)).example;
      expect(example).toBeDefined();
      writeFileSync(join(scratch, 'examples', `${name}.mjs`), example!);
      const result = await run(process.execPath, [`${name}.mjs`], join(scratch, 'examples'), 60_000);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }, 60_000);
  });

  it('compiles against the published types under NodeNext, with skipLibCheck off', async () => {
    const imports = published.map((name) => {
      const types = PUBLISHED_API[name]?.types ?? [];
      // Package names may have hyphens (http-client); identifiers may not.
      const prefix = name.replace(/[^A-Za-z0-9_]/g, '_');
      const aliased = types.map((t) => `${t} as ${prefix}_${t}`).join(', ');
      return `import type { ${aliased} } from '@sigil/${name}';\nexport type ${prefix}_api = [${types.map((t) => `${prefix}_${t}`).join(', ')}];`;
    });
    mkdirSync(join(scratch, 'types'), { recursive: true });
    writeFileSync(join(scratch, 'types/check.ts'), `${imports.join('\n')}\n${TYPE_USAGE}`);
    const compilerOptions = {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
    };
    writeFileSync(join(scratch, 'types/tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }, null, 2));
    const result = await run(process.execPath, [tsc, '-p', join(scratch, 'types/tsconfig.json')], scratch);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});
