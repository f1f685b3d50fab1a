import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run against src: every @sigil/* import resolves to the package's source entry point,
// so `pnpm test` needs no build.
const root = fileURLToPath(new URL('.', import.meta.url));
const groups = ['packages', 'apps', 'test-infra'];

const alias = [
  { find: '@sigil/rekor/client', replacement: join(root, 'packages/rekor/src/client/index.ts') },
  { find: /^@sigil\/stack$/, replacement: join(root, 'test-infra/stack/src/index.ts') },
  { find: /^@sigil\/registry$/, replacement: join(root, 'test-infra/registry/src/index.ts') },
  { find: /^@sigil\/gitlab-api$/, replacement: join(root, 'test-infra/gitlab-api/src/index.ts') },
  { find: /^@sigil\/ci$/, replacement: join(root, 'apps/ci/src/index.ts') },
  ...readdirSync(join(root, 'packages')).map((name) => ({
    find: new RegExp(`^@sigil/${name}$`),
    replacement: join(root, 'packages', name, 'src/index.ts'),
  })),
];

const projectDirs = groups.flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group))
        .map((name) => join(group, name))
        .filter((dir) => existsSync(join(root, dir, 'test')))
    : [],
);

export default defineConfig({
  test: {
    projects: projectDirs.map((dir) => ({
      resolve: { alias },
      test: {
        name: dir.split('/').pop(),
        root: join(root, dir),
        include: ['test/**/*.test.ts'],
        testTimeout: 30_000,
      },
    })),
  },
});
