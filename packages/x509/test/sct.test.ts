import { createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '@sigil/encoding';
import { importPublicKey } from '@sigil/crypto';
import { parseCertificate, verifyEmbeddedScts, type Certificate, type CtLog } from '../src/index.js';
import { buildCertificate, ext, fulcioLikeChain, generateKey, type KeyPair } from './support/builder.js';
import { expectX509Error } from './support/expect-error.js';
import { bundleLeaf, caChains, conformanceCase, corpusCase, corpusCases, ctLogs, trustedRoots } from './support/fixtures.js';

const SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

function issuerOf(leaf: Certificate, chains: Certificate[][]): Certificate {
  const issuer = chains.flat().find((c) => c.subjectKeyId && leaf.authorityKeyId && Buffer.compare(c.subjectKeyId, leaf.authorityKeyId) === 0);
  if (!issuer) throw new Error('no issuer');
  return issuer;
}

describe('verifyEmbeddedScts on public-good certificates', () => {
  it.each(corpusCases.map((c) => [c.name, c] as const))('%s: one SCT, verified by a trusted CT log', (_, c) => {
    const leaf = bundleLeaf(c.bundle);
    const { verifiedLogIds, results } = verifyEmbeddedScts(leaf, issuerOf(leaf, caChains(c.trustedRoot)), ctLogs(c.trustedRoot));
    expect(results.map((r) => r.status)).toEqual(['verified']);
    expect(verifiedLogIds).toHaveLength(1);
    const sctTime = results[0]!.timestamp!.getTime();
    expect(sctTime).toBeGreaterThanOrEqual(leaf.notBefore.getTime() - 60_000);
    expect(sctTime).toBeLessThanOrEqual(leaf.notAfter.getTime());
  });

  it('bundle-with-sct-with-extensions: SCT extensions are part of the signed data', () => {
    const { bundle, trustedRoot } = conformanceCase('bundle-with-sct-with-extensions');
    const leaf = bundleLeaf(bundle);
    const value = leaf.extensions.find((e) => e.oid === SCT_LIST)!.value;
    const list = value.subarray(value[1]! & 0x80 ? 2 + (value[1]! & 0x7f) : 2);
    // u16 list length, u16 SCT length, version, 32-byte log id, u64 timestamp, then u16 extensions length.
    expect((list[45]! << 8) | list[46]!).toBeGreaterThan(0);
    const result = verifyEmbeddedScts(leaf, issuerOf(leaf, caChains(trustedRoot)), ctLogs(trustedRoot));
    expect(result.results.map((r) => r.status)).toEqual(['verified']);
  });

  it('invalid-ct-key_fail: an SCT from a log the root does not list does not count', () => {
    const { bundle, trustedRoot } = conformanceCase('invalid-ct-key_fail');
    const leaf = bundleLeaf(bundle);
    const result = verifyEmbeddedScts(leaf, issuerOf(leaf, caChains(trustedRoot)), ctLogs(trustedRoot));
    expect(result.results.map((r) => r.status)).toEqual(['unknown-log']);
    expect(result.verifiedLogIds).toEqual([]);
  });

  it('fails with the wrong issuer, the wrong log key, or outside the log key validity', () => {
    const leaf = bundleLeaf(corpusCase('py-v02-prod-gha-wheel').bundle);
    const [intermediate, root] = caChains(trustedRoots.prod)[1]!;
    const logs = ctLogs(trustedRoots.prod);
    expect(verifyEmbeddedScts(leaf, root!, logs).results[0]!.status).toBe('signature-invalid');
    const wrongKey = logs.map((log) => ({ ...log, publicKey: importPublicKey(generateKey().spki) }));
    expect(verifyEmbeddedScts(leaf, intermediate!, wrongKey).results[0]!.status).toBe('signature-invalid');
    const noStart = logs.map((log) => ({ ...log, validFor: { end: log.validFor.end } }));
    expect(verifyEmbeddedScts(leaf, intermediate!, noStart).results[0]!.status).toBe('outside-log-validity');
    const { timestamp } = verifyEmbeddedScts(leaf, intermediate!, logs).results[0]!;
    const endsAt = (end: Date) => logs.map((log) => ({ ...log, validFor: { start: log.validFor.start, end } }));
    expect(verifyEmbeddedScts(leaf, intermediate!, endsAt(timestamp!)).results[0]!.status).toBe('verified');
    expect(verifyEmbeddedScts(leaf, intermediate!, endsAt(new Date(timestamp!.getTime() - 1))).results[0]!.status).toBe('outside-log-validity');
    const startsAt = (start: Date) => logs.map((log) => ({ ...log, validFor: { start } }));
    expect(verifyEmbeddedScts(leaf, intermediate!, startsAt(timestamp!)).results[0]!.status).toBe('verified');
    expect(verifyEmbeddedScts(leaf, intermediate!, startsAt(new Date(timestamp!.getTime() + 1))).results[0]!.status).toBe('outside-log-validity');
  });

  it('returns no results for a certificate without SCTs', () => {
    const chain = caChains(trustedRoots.prod)[1]!;
    expect(verifyEmbeddedScts(chain[0]!, chain[1]!, ctLogs(trustedRoots.prod))).toEqual({ verifiedLogIds: [], results: [] });
  });
});

// --- Synthetic SCTs, signed by a test CT log over a test precertificate.

interface SctSpec {
  log: KeyPair;
  timestamp?: bigint;
  extensions?: Uint8Array;
  /** Sign without the extensions (a verifier that drops them would accept this). */
  signWithoutExtensions?: boolean;
  version?: number;
  hashAlgorithm?: number;
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u64 = (n: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
};
const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const logIdOf = (log: KeyPair) => sha256(log.spki);
const T0 = 1767225900000n; // 2026-01-01T00:05:00Z

function encodeSct(spec: SctSpec, tbs: Uint8Array, issuerSpki: Uint8Array): Uint8Array {
  const ts = spec.timestamp ?? T0;
  const extensions = spec.extensions ?? new Uint8Array(0);
  const signedExtensions = spec.signWithoutExtensions ? new Uint8Array(0) : extensions;
  const signed = concatBytes(Uint8Array.of(0, 0), u64(ts), u16(1), sha256(issuerSpki), Uint8Array.of(tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff), tbs, u16(signedExtensions.length), signedExtensions);
  const signature = new Uint8Array(sign('sha256', signed, spec.log.privateKey));
  return concatBytes(Uint8Array.of(spec.version ?? 0), logIdOf(spec.log), u64(ts), u16(extensions.length), extensions, Uint8Array.of(spec.hashAlgorithm ?? 4, 3), u16(signature.length), signature);
}

const octetString = (content: Uint8Array) =>
  concatBytes(content.length < 128 ? Uint8Array.of(4, content.length) : Uint8Array.of(4, 0x82, content.length >> 8, content.length & 0xff), content);

function sctListValue(scts: Uint8Array[]): Uint8Array {
  const body = concatBytes(...scts.map((sct) => concatBytes(u16(sct.length), sct)));
  return octetString(concatBytes(u16(body.length), body));
}

/** A leaf with embedded SCTs made by `specs`, and its issuer. */
function leafWithScts(specs: SctSpec[]): { leaf: Certificate; issuer: Certificate } {
  const chain = fulcioLikeChain();
  const issuer = parseCertificate(chain.intermediate);
  const leafKey = generateKey();
  const base = {
    subject: 'leaf',
    issuer: 'test-intermediate',
    key: leafKey,
    signer: chain.intermediateKey,
    serial: 7,
    extensions: [ext.keyUsage('digitalSignature'), ext.subjectKeyId(leafKey)],
  };
  const precertTbs = parseCertificate(buildCertificate(base)).tbsDer;
  const scts = specs.map((spec) => encodeSct(spec, precertTbs, issuer.spkiDer));
  const leaf = parseCertificate(buildCertificate({ ...base, extensions: [...base.extensions, ext.raw(SCT_LIST, sctListValue(scts))] }));
  return { leaf, issuer };
}

const logEntry = (log: KeyPair, validFor: CtLog['validFor'] = { start: new Date('2025-01-01T00:00:00Z') }): CtLog => ({
  logId: logIdOf(log),
  publicKey: importPublicKey(log.spki),
  validFor,
});

describe('verifyEmbeddedScts on synthetic SCTs', () => {
  const logA = generateKey();
  const logB = generateKey();

  it('includes SCT extensions in the signed data', () => {
    const extensions = Uint8Array.of(0, 0, 5, 1, 2, 3, 4, 5);
    const { leaf, issuer } = leafWithScts([{ log: logA, extensions }, { log: logB, extensions, signWithoutExtensions: true }]);
    const result = verifyEmbeddedScts(leaf, issuer, [logEntry(logA), logEntry(logB)]);
    expect(result.results.map((r) => r.status)).toEqual(['verified', 'signature-invalid']);
    expect(result.verifiedLogIds).toEqual([logIdOf(logA)]);
  });

  it('counts a log once however many SCTs it signed, and skips unknown logs and versions', () => {
    const stranger = generateKey();
    const { leaf, issuer } = leafWithScts([{ log: logA }, { log: logA, timestamp: T0 + 1n }, { log: stranger }, { log: logB, version: 1 }, { log: logB, hashAlgorithm: 2 }, { log: logB }]);
    const result = verifyEmbeddedScts(leaf, issuer, [logEntry(logA), logEntry(logB)]);
    expect(result.results.map((r) => r.status)).toEqual(['verified', 'verified', 'unknown-log', 'unsupported', 'unsupported', 'verified']);
    expect(result.results[0]!.timestamp).toEqual(new Date(Number(T0)));
    expect(result.results[3]!.timestamp).toBeUndefined();
    expect(result.verifiedLogIds).toEqual([logIdOf(logA), logIdOf(logB)]);
  });

  it('treats a log key of the wrong type as a failed signature', () => {
    const { leaf, issuer } = leafWithScts([{ log: logA }]);
    const edLog = { ...logEntry(logA), publicKey: importPublicKey(generateKey('ed25519').spki) };
    expect(verifyEmbeddedScts(leaf, issuer, [edLog]).results[0]!.status).toBe('signature-invalid');
  });

  it('rejects malformed SCT lists with X509_SCT_MALFORMED', () => {
    const { leaf, issuer } = leafWithScts([{ log: logA }]);
    const good = leaf.extensions.find((e) => e.oid === SCT_LIST)!.value;
    const list = good.subarray(good[1]! & 0x80 ? 2 + (good[1]! & 0x7f) : 2);
    const sct = list.subarray(4);
    const withList = (value: Uint8Array): Certificate => ({ ...leaf, extensions: [{ oid: SCT_LIST, critical: false, value }] });
    const cases: Uint8Array[] = [
      list, // not wrapped in an OCTET STRING
      octetString(list.subarray(0, list.length - 1)), // truncated
      octetString(concatBytes(list, Uint8Array.of(0))), // trailing byte after the list
      octetString(concatBytes(u16(list.length - 1), list.subarray(2), Uint8Array.of(0))), // trailing byte inside the list vector
      octetString(concatBytes(u16(2), u16(0))), // an empty SCT
      octetString(u16(0)), // an empty list
      octetString(concatBytes(u16(sct.length + 3), u16(sct.length + 1), sct, Uint8Array.of(0))), // trailing byte inside an SCT
      octetString(concatBytes(u16(65 * 3), ...Array.from({ length: 65 }, () => Uint8Array.of(0, 1, 1)))), // too many
      Uint8Array.of(4, 0x81), // not even DER
    ];
    for (const value of cases) expectX509Error(() => verifyEmbeddedScts(withList(value), issuer, [logEntry(logA)]), 'X509_SCT_MALFORMED');
    // A one-byte SCT of an unknown version is skipped, not malformed.
    expect(verifyEmbeddedScts(withList(octetString(concatBytes(u16(2 + 33), u16(33), Uint8Array.of(1), new Uint8Array(32)))), issuer, []).results[0]!.status).toBe('unsupported');
  });
});
