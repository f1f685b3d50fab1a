// Structure-aware mutations of the real seed bundles (src/json-mutations.ts) through the
// bundle-verify target: typed errors only, and nothing verifies but a seed's signed parts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '@sigil/bundle';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMutants } from '../src/json-mutations.js';
import { fuzz, knownGood, signedParts } from '../src/targets/bundle-verify.js';

const SEEDS = fileURLToPath(new URL('../corpus/bundle-verify/', import.meta.url));
const seeds = readdirSync(SEEDS).map((name) => JSON.parse(readFileSync(join(SEEDS, name), 'utf8')) as unknown);

describe('bundle-verify, structure-aware', () => {
  it('every seed verifies, so the oracle knows its signed parts', async () => {
    const good = await knownGood(SEEDS);
    for (const name of readdirSync(SEEDS)) expect(good.has(signedParts(parseBundle(readFileSync(join(SEEDS, name)))))).toBe(true);
  });

  it('a mutated real bundle fails typed or verifies with a seed signed parts', async () => {
    await knownGood(SEEDS);
    await fc.assert(
      fc.asyncProperty(jsonMutants(seeds), async (mutant) => {
        await fuzz(Buffer.from(mutant));
      }),
      { numRuns: 400, seed: 3161 },
    );
  }, 60_000);
});
