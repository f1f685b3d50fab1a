import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { TrustMaterial } from '@sigil/trust';
import { ProvenanceError, type ProvenanceErrorCode } from '../src/index.js';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
const corpusDir = join(repoRoot, 'test-infra/fixtures/corpus');
const fixturesDir = new URL('./fixtures/', import.meta.url).pathname;

export function fixtureText(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

let prod: TrustMaterial | undefined;
/** The public-good production trusted root the corpus was verified against. */
export function prodTrust(): TrustMaterial {
  prod ??= TrustMaterial.fromJson(readFileSync(join(corpusDir, 'trusted-roots/prod.json'), 'utf8'));
  return prod;
}

export interface NpmCorpusCase {
  name: string;
  bundle: Record<string, unknown>;
  tarball: Uint8Array;
  identity: string;
  issuer: string;
  statement: Record<string, unknown>;
}

/** The corpus cases that are real npm provenance bundles with their package tarballs. */
export const NPM_CORPUS = [
  'go-npm-provenance-sigstore-1.3.0',
  'go-npm-provenance-sigstore-2.0.0',
  'slsa-npm-ossf-delegator',
  'slsa-npm-sigstore-2.3.1',
  'slsa-npm-supreme-goggles',
];

export function npmCorpusCase(name: string): NpmCorpusCase {
  const dir = join(corpusDir, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
  if (!existsSync(join(dir, 'artifact'))) throw new Error(`${name}: no artifact`);
  const envelope = bundle.dsseEnvelope as { payload: string };
  return {
    name,
    bundle,
    tarball: new Uint8Array(readFileSync(join(dir, 'artifact'))),
    identity: spec.identity,
    issuer: spec.issuer,
    statement: JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')),
  };
}

/** The registry's attestations document around one bundle. */
export function attestationsOf(bundle: unknown, predicateType: string): { attestations: { predicateType: string; bundle: unknown }[] } {
  return { attestations: [{ predicateType, bundle }] };
}

/** The variables of the gitlab.com job behind @strongjz/strongcoin@0.0.13, as npm recorded them. */
export function strongcoinJobEnv(): Record<string, string> {
  const statement = fixtureJson<{ predicate: { invocation: { parameters: Record<string, string>; environment: { architecture: string } } } }>(
    'npm-gitlab-strongcoin-0.0.13.statement.json',
  );
  return { ...statement.predicate.invocation.parameters, CI_RUNNER_EXECUTABLE_ARCH: statement.predicate.invocation.environment.architecture };
}

export interface TarEntry {
  path: string;
  content?: string | Uint8Array;
  /** Tar type flag; default '0' (regular file). */
  type?: string;
}

/** A ustar archive, gzip'd: what `npm pack` writes (long paths go in a pax header). */
export function tarball(entries: readonly TarEntry[], options: { endMarker?: boolean } = {}): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const data = typeof entry.content === 'string' ? new TextEncoder().encode(entry.content) : (entry.content ?? new Uint8Array());
    if (Buffer.byteLength(entry.path) > 100) {
      const record = paxRecord('path', entry.path);
      blocks.push(header('PaxHeader', record.length, 'x'), pad(record));
      blocks.push(header(entry.path.slice(0, 100), data.length, entry.type ?? '0'), pad(data));
    } else {
      blocks.push(header(entry.path, data.length, entry.type ?? '0'), pad(data));
    }
  }
  if (options.endMarker !== false) blocks.push(new Uint8Array(1024));
  return new Uint8Array(gzipSync(Buffer.concat(blocks)));
}

export function header(path: string, size: number, type: string): Uint8Array {
  const h = Buffer.alloc(512);
  h.write(path, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return new Uint8Array(h);
}

function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  length += String(length + String(length).length).length;
  return new TextEncoder().encode(`${length}${body}`);
}

/** Runs `fn`, requiring a ProvenanceError with `code`; returns it for further checks. */
export function expectCode(fn: () => unknown, code: ProvenanceErrorCode): ProvenanceError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProvenanceError);
    expect((err as ProvenanceError).code).toBe(code);
    return err as ProvenanceError;
  }
  return expect.fail(`expected ProvenanceError ${code}, nothing was thrown`);
}

/** The same for a promise. */
export async function expectRejection(promise: Promise<unknown>, code: ProvenanceErrorCode): Promise<ProvenanceError> {
  const err = await promise.then(
    () => expect.fail(`expected ProvenanceError ${code}, the promise resolved`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProvenanceError);
  expect((err as ProvenanceError).code).toBe(code);
  return err as ProvenanceError;
}

/** A copy of `bytes` with the bits of `mask` flipped in the byte at `index`. */
export function flipByte(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ mask;
  return copy;
}
