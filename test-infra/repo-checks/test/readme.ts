import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Readme {
  title: string;
  /** The paragraph between the title and the example. */
  intro: string;
  /** The first ```js block: the example the packaging test runs. */
  example: string | undefined;
  text: string;
}

export function readReadme(packageDir: string): Readme {
  const text = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const title = /^# (.+)$/m.exec(text)?.[1] ?? '';
  const example = /^```js\n([\s\S]*?)^```$/m.exec(text)?.[1];
  const afterTitle = text.slice(text.indexOf('\n') + 1);
  const intro = afterTitle.slice(0, afterTitle.search(/^```/m) >= 0 ? afterTitle.search(/^```/m) : undefined).trim();
  return { title, intro, example, text };
}

/** The package's error codes: every string literal in a union type named ...ErrorCode under src/. */
export function errorCodes(packageDir: string): string[] {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(packageDir, 'src'))) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const union of text.matchAll(/export type \w*ErrorCode\s*=([^;]*);/g)) {
      for (const literal of union[1]!.matchAll(/'([A-Z0-9_]+)'/g)) codes.add(literal[1]!);
    }
  }
  return [...codes];
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
