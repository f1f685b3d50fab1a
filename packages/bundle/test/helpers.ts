import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { BundleError, type BundleErrorCode } from '../src/index.js';

const repoRoot = new URL('../../../', import.meta.url);
export const fixtures = new URL('test-infra/fixtures/', repoRoot);
export const corpusDir = new URL('corpus/', fixtures);
export const conformanceDir = new URL('conformance/bundle-verify/', fixtures);

export function readFixture(relative: string): Uint8Array {
  return readFileSync(new URL(relative, fixtures));
}

export function readJsonFixture(relative: string): any {
  return JSON.parse(readFileSync(new URL(relative, fixtures), 'utf8'));
}

/** Corpus case names that hold a bundle.json. */
export function corpusCases(): string[] {
  return readdirSync(corpusDir).filter((name) => existsSync(new URL(`${name}/bundle.json`, corpusDir)));
}

export function conformanceCases(): string[] {
  return readdirSync(conformanceDir).filter((name) => existsSync(new URL(`${name}/bundle.sigstore.json`, conformanceDir)));
}

/** Fixture paths of the conformance cases' own trusted roots. */
export function conformanceTrustedRoots(): string[] {
  return conformanceCases()
    .filter((name) => existsSync(new URL(`${name}/trusted_root.json`, conformanceDir)))
    .map((name) => `conformance/bundle-verify/${name}/trusted_root.json`);
}

/** One row of an error table: how to break a document, and the error that must follow. */
export type ErrorCase = [name: string, change: (doc: any) => void, code: BundleErrorCode, path: string];

/** A deep copy of `json` changed by `change`, for one error case. */
export function mutated<T>(json: T, change: (copy: any) => void): T {
  const copy = structuredClone(json);
  change(copy);
  return copy;
}

/** Runs `fn`, expecting a BundleError with `code` (and `details.path` when given). */
export function expectBundleError(fn: () => unknown, code: BundleErrorCode, path?: string): BundleError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(BundleError);
  const err = thrown as BundleError;
  expect({ code: err.code, path: path === undefined ? undefined : err.details?.path }).toEqual({ code, path });
  return err;
}
