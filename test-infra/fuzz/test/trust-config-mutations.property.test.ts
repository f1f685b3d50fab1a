// Structure-aware mutations of the real trusted roots and signing config
// (src/json-mutations.ts) through the trust-config target: typed errors only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { jsonMutants } from '../src/json-mutations.js';
import { fuzz } from '../src/targets/trust-config.js';

const SEEDS = fileURLToPath(new URL('../corpus/trust-config/', import.meta.url));
const seeds = readdirSync(SEEDS).map((name) => JSON.parse(readFileSync(join(SEEDS, name), 'utf8')) as unknown);

describe('trust-config, structure-aware', () => {
  it('a mutated trusted root or signing config fails typed or reads', () => {
    fc.assert(
      fc.property(jsonMutants(seeds), (mutant) => fuzz(Buffer.from(mutant))),
      { numRuns: 400, seed: 7468 },
    );
  });
});
