import { describe, expect, it } from 'vitest';
import { parseBundle } from '../src/index.js';
import { readFixture } from './helpers.js';

// The verify benchmark needs ~600 full verifications a second (1.7 ms each, parse included):
// parsing must stay a small part of that. The bound here is loose, for slow CI machines.
const BUDGET_MICROSECONDS = 500;

function microsecondsPerParse(input: string | Uint8Array, runs: number): number {
  for (let i = 0; i < 200; i++) parseBundle(input);
  const start = performance.now();
  for (let i = 0; i < runs; i++) parseBundle(input);
  return ((performance.now() - start) * 1000) / runs;
}

describe('parse speed of real v0.3 bundles', () => {
  it.each(['java-pkix-ecdsa-p256', 'js-v03-intoto', 'py-rekor2-staging-hashedrekord'])('%s', (name) => {
    const bytes = readFixture(`corpus/${name}/bundle.json`);
    const fromText = microsecondsPerParse(Buffer.from(bytes).toString('utf8'), 2000);
    const fromBytes = microsecondsPerParse(bytes, 2000);
    console.log(`${name} (${bytes.length} bytes): ${fromText.toFixed(1)} us from a string, ${fromBytes.toFixed(1)} us from bytes`);
    expect(fromText).toBeLessThan(BUDGET_MICROSECONDS);
    expect(fromBytes).toBeLessThan(BUDGET_MICROSECONDS);
  });
});
