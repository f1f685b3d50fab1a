import { SigilError } from '@sigil/errors';

// The property every target checks: hostile input is refused with a typed SigilError (any
// package's subclass), never a TypeError, RangeError or other crash. Anything else escapes
// to the fuzzer, which records the input as a finding.

export function typedOnly<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof SigilError) return undefined;
    throw err;
  }
}

export async function typedOnlyAsync<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SigilError) return undefined;
    throw err;
  }
}

/** A broken invariant: thrown as a plain Error so that the fuzzer reports it. */
export function violated(what: string): never {
  throw new Error(`fuzz property violated: ${what}`);
}
