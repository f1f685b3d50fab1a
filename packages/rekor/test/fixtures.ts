// Real bundles and trusted roots from the repository's test-infra/fixtures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { RekorError, type RekorErrorCode } from '../src/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test-infra/fixtures/', import.meta.url));

export const b64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const toB64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function readJson(path: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

export interface TrustedLog {
  baseUrl: string;
  logId: { keyId: string };
  checkpointKeyId?: { keyId: string };
  publicKey: { rawBytes: string };
}

export interface BundleCase {
  name: string;
  bundle: any;
  /** The first tlog entry. */
  entry: any;
  root: { tlogs: TrustedLog[] };
  /** The trusted log that wrote the first entry. */
  log: TrustedLog;
}

const prod = readJson('corpus/trusted-roots/prod.json');
const staging = readJson('corpus/trusted-roots/staging.json');

function makeCase(name: string, bundle: any, root: any): BundleCase {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  const log = root.tlogs.find((t: TrustedLog) => t.logId.keyId === entry.logId.keyId);
  return { name, bundle, entry, root, log };
}

/** The 33 real bundles of the corpus (all verify). */
export function corpusCases(): BundleCase[] {
  return readdirSync(join(FIXTURES, 'corpus'))
    .filter((name) => existsSync(join(FIXTURES, 'corpus', name, 'case.json')))
    .sort()
    .map((name) => {
      const info = readJson(`corpus/${name}/case.json`);
      return makeCase(name, readJson(`corpus/${name}/bundle.json`), info.trustedRoot === 'staging' ? staging : prod);
    });
}

/** The sigstore-conformance bundle-verify cases whose bundle parses as JSON. */
export function conformanceCases(): BundleCase[] {
  const dir = join(FIXTURES, 'conformance/bundle-verify');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'bundle.sigstore.json')))
    .sort()
    .flatMap((name) => {
      let bundle;
      try {
        bundle = readJson(`conformance/bundle-verify/${name}/bundle.sigstore.json`);
      } catch {
        return [];
      }
      if (!bundle.verificationMaterial?.tlogEntries?.length) return [];
      const root = existsSync(join(dir, name, 'trusted_root.json')) ? readJson(`conformance/bundle-verify/${name}/trusted_root.json`) : prod;
      return [makeCase(name, bundle, root)];
    });
}

/** DER of the bundle's signing certificate (v0.3 certificate or first of a v0.1/v0.2 chain). */
export function bundleLeafDer(bundle: any): Uint8Array | undefined {
  const material = bundle.verificationMaterial;
  const raw = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates?.[0]?.rawBytes;
  return raw === undefined ? undefined : b64(raw);
}

export function expectRekorError(fn: () => unknown, code: RekorErrorCode): RekorError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(RekorError);
  expect((thrown as RekorError).code).toBe(code);
  return thrown as RekorError;
}
