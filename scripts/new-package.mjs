// Scaffolds packages/<name> with the house manifest, build config and an empty entry point.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: node scripts/new-package.mjs NAME "description" [dep ...]');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const manifest = {
  name: `@sigil/${name}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  files: ['dist', 'README.md'],
  scripts: { build: 'tsc -p tsconfig.build.json' },
  dependencies: Object.fromEntries(deps.map((d) => [d, d.startsWith('@sigil/') ? 'workspace:*' : '*'])),
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.build.json'),
  JSON.stringify({ extends: '../../tsconfig.build.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }, null, 2) + '\n',
);
writeFileSync(join(dir, 'src', 'index.ts'), `// @sigil/${name}: ${description}\nexport {};\n`);
writeFileSync(join(dir, 'README.md'), `# @sigil/${name}\n\n${description}\n`);
