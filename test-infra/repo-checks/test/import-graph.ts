import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(new URL('../../../', import.meta.url).pathname);

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a source file imports or re-exports (type-only imports included). */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

/** Where a workspace specifier (`@sigil/x`, `@sigil/rekor/client`) or a relative one points. */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const base = resolve(dirname(from), specifier);
    for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
      if (existsSync(candidate)) return candidate;
    }
    return undefined;
  }
  const match = /^@sigil\/([^/]+)(\/.+)?$/.exec(specifier);
  if (!match) return undefined;
  const [, name, sub] = match;
  const entry = sub ? join(repoRoot, 'packages', name!, 'src', sub.slice(1), 'index.ts') : join(repoRoot, 'packages', name!, 'src/index.ts');
  return existsSync(entry) ? entry : undefined;
}

/** All source files reachable from `entry`, following relative and @sigil/* imports. */
export function reachableFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      const target = resolveImport(file, specifier);
      if (target) queue.push(target);
    }
  }
  return seen;
}

export function packageOf(file: string): string | undefined {
  return /\/packages\/([^/]+)\//.exec(file)?.[1];
}
