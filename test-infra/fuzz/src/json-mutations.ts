// Structure-aware mutations of real JSON documents for fast-check properties: libFuzzer
// mutates bytes, these replace whole nodes: a field deleted, replaced by another JSON value,
// by a node taken from any seed (a real certificate, key or proof in the wrong place), or a
// string with one character changed.
import fc from 'fast-check';

type Path = (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...children.flatMap(([key, child]) => paths(child, [...at, key]))];
}

function get(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

/** A copy of `value` with the node at `path` replaced (or deleted when `replacement` is undefined). */
function replaced(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = replacement;
  return copy;
}

/** Mutants of the seeds, as JSON text. */
export function jsonMutants(seeds: readonly unknown[]): fc.Arbitrary<string> {
  const donors = seeds.flatMap((seed) => paths(seed).map((path) => get(seed, path)));
  const how = fc.oneof(
    fc.constant({ kind: 'delete' as const }),
    fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant('donor' as const), donor: fc.nat(donors.length - 1) }),
    fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.constantFrom('A', '/', '=', '0', '\u00e9', ' ', '\n') }),
  );
  return fc.record({ seed: fc.nat(seeds.length - 1), where: fc.nat(), how }).map(({ seed, where, how }) => {
    const document = seeds[seed];
    const all = paths(document);
    const path = all[where % all.length]!;
    const node = get(document, path);
    let mutant: unknown;
    if (how.kind === 'delete') mutant = replaced(document, path, undefined);
    else if (how.kind === 'json') mutant = replaced(document, path, how.value);
    else if (how.kind === 'donor') mutant = replaced(document, path, donors[how.donor]);
    else if (typeof node !== 'string' || node.length === 0) mutant = replaced(document, path, `${String(node)}${how.char}`);
    else mutant = replaced(document, path, `${node.slice(0, how.at % node.length)}${how.char}${node.slice((how.at % node.length) + 1)}`);
    return JSON.stringify(mutant) ?? '';
  });
}
