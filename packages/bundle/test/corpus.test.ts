import { describe, expect, it } from 'vitest';
import { parseBundle, parseTrustedRoot, serializeBundle, serializeTrustedRoot, type Bundle } from '../src/index.js';
import { conformanceCases, conformanceTrustedRoots, corpusCases, expectBundleError, readFixture, readJsonFixture } from './helpers.js';

// Bundles each conformance README calls malformed, and what the parser must say about them.
const MALFORMED = {
  'bundle-malformed-json_fail': ['BUNDLE_INVALID_JSON', ''],
  'bundle-unknown-version_fail': ['BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
  'bundle-invalid-base64-signature_fail': ['BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  'bundle-negative-log-index_fail': ['BUNDLE_INVALID_FIELD', 'verificationMaterial.tlogEntries[0].logIndex'],
  'bundle-empty-certificate-chain_fail': ['BUNDLE_INVALID_FIELD', 'verificationMaterial.x509CertificateChain.certificates'],
} as const;

function expectRoundTrip(bundle: Bundle): void {
  const json = serializeBundle(bundle);
  expect(parseBundle(JSON.stringify(json))).toEqual(bundle);
  // Serialising again gives the same JSON: the writer is deterministic.
  expect(serializeBundle(parseBundle(json))).toEqual(json);
}

describe('corpus bundles', () => {
  const cases = corpusCases();

  it('has the 33 cases', () => {
    expect(cases).toHaveLength(33);
  });

  it.each(cases)('%s parses, as its case.json says, and round-trips', (name) => {
    const expected = readJsonFixture(`corpus/${name}/case.json`);
    const bundle = parseBundle(readFixture(`corpus/${name}/bundle.json`));
    expect(bundle.mediaType).toBe(expected.mediaType);
    expect(bundle.content.$case).toBe(String(expected.kind).split(' ')[0]);
    const kinds = String(expected.kind).match(/rekor\d:[a-z]+\/[0-9.]+/g) ?? [];
    expect(bundle.verificationMaterial.tlogEntries.map((e) => `${e.kindVersion.kind}/${e.kindVersion.version}`)).toEqual(
      kinds.map((k) => k.split(':')[1]),
    );
    expectRoundTrip(bundle);
  });
});

describe('conformance bundles', () => {
  const cases = conformanceCases();
  const wellFormed = cases.filter((name) => !(name in MALFORMED));

  it('has every malformed case named in this test', () => {
    expect(cases).toEqual(expect.arrayContaining(Object.keys(MALFORMED)));
    expect(wellFormed.length).toBe(cases.length - Object.keys(MALFORMED).length);
  });

  it.each(wellFormed)('%s parses and round-trips', (name) => {
    expectRoundTrip(parseBundle(readFixture(`conformance/bundle-verify/${name}/bundle.sigstore.json`)));
  });

  it.each(Object.entries(MALFORMED))('%s is refused with %j', (name, [code, path]) => {
    expectBundleError(() => parseBundle(readFixture(`conformance/bundle-verify/${name}/bundle.sigstore.json`)), code, path);
  });

  it('accepts base64 with line breaks, as protojson does (rekor2-timestamp-with-incorrect-time_fail)', () => {
    const text = Buffer.from(readFixture('conformance/bundle-verify/rekor2-timestamp-with-incorrect-time_fail/bundle.sigstore.json')).toString('utf8');
    expect(JSON.parse(text).verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp).toContain('\n');
    const [timestamp] = parseBundle(text).verificationMaterial.rfc3161Timestamps;
    expect(timestamp![0]).toBe(0x30);
  });
});

describe('trusted roots', () => {
  const roots = ['corpus/trusted-roots/prod.json', 'corpus/trusted-roots/staging.json', ...conformanceTrustedRoots()];

  it('finds the corpus roots and the conformance ones', () => {
    expect(roots.length).toBeGreaterThan(30);
  });

  it.each(roots)('%s parses and round-trips', (path) => {
    const root = parseTrustedRoot(readFixture(path));
    expect(root.tlogs.length + root.ctlogs.length).toBeGreaterThan(0);
    expect(parseTrustedRoot(JSON.stringify(serializeTrustedRoot(root)))).toEqual(root);
  });

  it('reads the production root', () => {
    const root = parseTrustedRoot(readFixture('corpus/trusted-roots/prod.json'));
    const rekor = root.tlogs.find((log) => log.baseUrl === 'https://rekor.sigstore.dev')!;
    expect(Buffer.from(rekor.logId).toString('base64')).toBe('wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=');
    expect(rekor.hashAlgorithm).toBe('sha256');
    expect(rekor.publicKey.keyDetails).toBe('PKIX_ECDSA_P256_SHA_256');
    expect(rekor.publicKey.validFor.start).toEqual(new Date('2021-01-12T11:53:27.000Z'));
    expect(root.certificateAuthorities.every((ca) => ca.certChain.length > 0 && ca.certChain.every((der) => der[0] === 0x30))).toBe(true);
  });

  it('keeps a missing validFor.start undefined (trust-root-tlog-missing-validity-start_fail)', () => {
    const root = parseTrustedRoot(readFixture('conformance/bundle-verify/trust-root-tlog-missing-validity-start_fail/trusted_root.json'));
    const log = root.tlogs.find((l) => Buffer.from(l.logId).toString('base64') === '8w1amZ2S5mJIQkQmPxdMuOrL/oJkvFg9MnQXmeOCXck=');
    expect(log).toBeDefined();
    expect(log!.publicKey.validFor.start).toBeUndefined();
  });
});
