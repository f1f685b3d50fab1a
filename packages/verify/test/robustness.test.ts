import { describe, expect, it } from 'vitest';
import { parseBundle, serializeBundle } from '@sigil/bundle';
import { canonicalJson } from '@sigil/encoding';
import { isSigilError } from '@sigil/errors';
import { Verifier } from '../src/index.js';
import { corpusCaseNames, loadCorpusCase, type CorpusCase } from './corpus.js';

// Thousands of random mutations of real bundles, at the JSON level and the byte level. None
// may crash (only typed Sigil errors), hang, or verify unless it left the bundle's meaning
// intact (the re-serialised bundle equals the original's).
const MUTATIONS_PER_CASE = 120;
const SLOW_MS = 2000;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof prng>;
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== 'object') return [prefix];
  const children = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  return [prefix, ...children.flatMap((k) => paths((node as any)[k], [...prefix, k]))];
}

const REPLACEMENTS: unknown[] = [
  null, 0, -1, 1.5, 1e309 === Infinity ? 'Infinity' : 0, '', 'AAAA', '====', '-1', '18446744073709551616', '99999999999999999999999',
  true, [], {}, [[[[]]]], { a: 1 }, 'application/vnd.dev.sigstore.bundle.v0.3+json', 'x'.repeat(100_000), 'sha256', 'SHA2_256',
];

function mutateJson(rand: Random, original: any): any {
  const copy = structuredClone(original);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = pick(rand, all);
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const key = path[path.length - 1]!;
  const value = parent[key];
  switch (Math.floor(rand() * 6)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 1:
      parent[key] = structuredClone(pick(rand, REPLACEMENTS));
      break;
    case 2:
      parent[key] = structuredClone(getPath(copy, pick(rand, all)));
      break;
    case 3:
      if (typeof value === 'string' && value.length > 0) {
        const i = Math.floor(rand() * value.length);
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ."';
        parent[key] = value.slice(0, i) + pick(rand, [...alphabet]) + value.slice(i + 1);
      } else parent[key] = structuredClone(pick(rand, REPLACEMENTS));
      break;
    case 4:
      if (Array.isArray(value)) value.push(structuredClone(value[0] ?? null));
      else if (typeof value === 'string') parent[key] = value.slice(0, Math.floor(rand() * value.length));
      else parent[key] = [value];
      break;
    default:
      if (typeof value === 'number') parent[key] = value + 1;
      else if (typeof value === 'string' && /^\d+$/.test(value)) parent[key] = String(BigInt(value) + 1n);
      else parent[key] = String(value);
  }
  return copy;
}

function getPath(node: any, path: (string | number)[]): unknown {
  return path.reduce((n, k) => n?.[k], node);
}

function mutateBytes(rand: Random, text: string): string {
  const bytes = Buffer.from(text);
  const i = Math.floor(rand() * bytes.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      bytes[i]! ^= 1 << Math.floor(rand() * 8);
      return bytes.toString('latin1');
    case 1:
      return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]).toString('utf8');
    case 2:
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([Math.floor(rand() * 256)]), bytes.subarray(i)]).toString('latin1');
    default:
      return bytes.subarray(0, i).toString('utf8');
  }
}

/**
 * The bundle as the verifier understands it. Some parts carry no meaning for verification and
 * may change without changing what the bundle proves: the optional message digest hint (when
 * dropped), certificates after the leaf of a v0.1/v0.2 chain (never trusted, only parsed) and
 * the DSSE signature's keyid (an unsigned hint), and a v0.1 bundle's inclusion proof (the SET
 * is its evidence: a proof, when present, must verify, but it may be dropped).
 */
function meaningOf(text: string): any {
  try {
    const json = serializeBundle(parseBundle(text)) as any;
    const chain = json.verificationMaterial?.x509CertificateChain;
    if (chain) chain.certificates = chain.certificates.slice(0, 1);
    for (const sig of json.dsseEnvelope?.signatures ?? []) delete sig.keyid;
    if (json.mediaType?.endsWith('version=0.1')) for (const entry of json.verificationMaterial?.tlogEntries ?? []) delete entry.inclusionProof;
    return json;
  } catch {
    return undefined;
  }
}

function sameMeaning(mutated: string, original: string): boolean {
  const a = meaningOf(mutated);
  const b = meaningOf(original);
  if (!a || !b) return false;
  if (a.messageSignature && !a.messageSignature.messageDigest) delete b.messageSignature?.messageDigest;
  return canonicalJson(a) === canonicalJson(b);
}

async function attempt(c: CorpusCase, verifier: Verifier, text: string, original: string): Promise<{ accepted: boolean; ms: number }> {
  const start = performance.now();
  let accepted = false;
  try {
    await verifier.verify(text, c.artifact, c.policy);
    accepted = true;
  } catch (err) {
    if (!isSigilError(err)) throw new Error(`untyped error on a mutated ${c.name}: ${String((err as Error)?.stack ?? err)}`);
  }
  const ms = performance.now() - start;
  if (accepted) expect(sameMeaning(text, original), `a mutation of ${c.name} verified but changed the bundle: ${text.slice(0, 300)}`).toBe(true);
  return { accepted, ms };
}

describe('random mutations of real bundles', () => {
  const names = corpusCaseNames();

  it.each(names)('%s', async (name) => {
    const c = loadCorpusCase(name);
    const verifier = new Verifier(c.trust);
    const original = c.bundleText;
    expect(meaningOf(original)).toBeDefined();
    const rand = prng([...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7));
    let slowest = 0;
    let rejected = 0;
    for (let i = 0; i < MUTATIONS_PER_CASE; i++) {
      const text = i % 2 === 0 ? JSON.stringify(mutateJson(rand, c.bundleJson)) : mutateBytes(rand, c.bundleText);
      const { accepted, ms } = await attempt(c, verifier, text, original);
      slowest = Math.max(slowest, ms);
      if (!accepted) rejected++;
    }
    expect(slowest).toBeLessThan(SLOW_MS);
    // Most mutations change the meaning; a run that rejects nothing is not testing anything.
    expect(rejected).toBeGreaterThan(MUTATIONS_PER_CASE / 2);
  });
});
