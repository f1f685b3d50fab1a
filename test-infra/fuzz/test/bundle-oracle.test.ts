// The bundle-verify target's oracle must have something to compare with: every real seed
// bundle verifies, so its signed parts are the known-good ones. (Two seeds are one signature
// in two bundle versions, so there are fewer parts than seeds.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '@sigil/bundle';
import { describe, expect, it } from 'vitest';
import { knownGood, signedParts } from '../src/targets/bundle-verify.js';

const SEEDS = fileURLToPath(new URL('../corpus/bundle-verify/', import.meta.url));

describe('bundle-verify oracle', () => {
  it('knows the signed parts of every seed bundle, each verified', async () => {
    const good = await knownGood(SEEDS);
    for (const name of readdirSync(SEEDS)) {
      expect(good.has(signedParts(parseBundle(readFileSync(join(SEEDS, name)))))).toBe(true);
    }
  });
});
