import { describe, expect, it } from 'vitest';
import {
  parseClientTrustConfig,
  parseSigningConfig,
  parseTrustedRoot,
  serializeClientTrustConfig,
  serializeSigningConfig,
  serializeTrustedRoot,
  type TrustedRoot,
} from '../src/index.js';
import { expectBundleError, type ErrorCase, mutated, readJsonFixture } from './helpers.js';

const prod = readJsonFixture('corpus/trusted-roots/prod.json');

// The shape of sigstore-go's examples/signing_config.v0.2.json (staging services).
const signingConfig = {
  mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
  caUrls: [{ url: 'https://fulcio.sigstage.dev', majorApiVersion: 1, validFor: { start: '2022-04-14T21:38:40Z' }, operator: 'sigstore.dev' }],
  oidcUrls: [{ url: 'https://oauth2.sigstage.dev/auth', majorApiVersion: 1, validFor: { start: '2025-04-16T00:00:00Z' }, operator: 'sigstore.dev' }],
  rekorTlogUrls: [
    { url: 'https://log2025-alpha1.rekor.sigstage.dev', majorApiVersion: 2, validFor: { start: '2025-05-07T12:00:00Z', end: '2030-01-01T00:00:00.5+01:00' }, operator: 'sigstore.dev' },
    { url: 'https://rekor.sigstage.dev', majorApiVersion: 1, validFor: { start: '2021-01-12T11:53:27Z' }, operator: 'sigstore.dev' },
  ],
  tsaUrls: [{ url: 'https://timestamp.sigstage.dev/api/v1/timestamp', majorApiVersion: 1, validFor: { start: '2025-04-09T00:00:00Z' }, operator: 'sigstore.dev' }],
  rekorTlogConfig: { selector: 'EXACT', count: 1 },
  tsaConfig: { selector: 'ANY' },
};

const startOf = (root: any) => (value: unknown) => mutated(root, (r: any) => (r.tlogs[0].publicKey.validFor.start = value));

describe('parseTrustedRoot', () => {
  it('reads a v0.2 root with checkpoint key IDs and operators', () => {
    const v2 = mutated(prod, (r: any) => {
      r.mediaType = 'application/vnd.dev.sigstore.trustedroot.v0.2+json';
      r.tlogs[0].checkpointKeyId = { keyId: 'AAEC' };
      r.tlogs[0].operator = 'sigstore.dev';
      r.certificateAuthorities[0].operator = 'sigstore.dev';
    });
    const root = parseTrustedRoot(v2);
    expect(root.tlogs[0]!.checkpointKeyId).toEqual(new Uint8Array([0, 1, 2]));
    expect(root.tlogs[0]!.operator).toBe('sigstore.dev');
    expect(root.tlogs[1]!.operator).toBeUndefined();
    expect(root.certificateAuthorities[0]!.operator).toBe('sigstore.dev');
    const json = serializeTrustedRoot(root) as { mediaType: string; tlogs: object[] };
    expect(json.mediaType).toBe(v2.mediaType);
    expect(json.tlogs[0]).toMatchObject({ checkpointKeyId: { keyId: 'AAEC' }, operator: 'sigstore.dev' });
  });

  it('keeps the chain order, the subject and optional parts as given', () => {
    const root = parseTrustedRoot(prod);
    const ca = root.certificateAuthorities[0]!;
    expect(ca.certChain.map((der) => Buffer.from(der).toString('base64'))).toEqual(prod.certificateAuthorities[0].certChain.certificates.map((c: any) => c.rawBytes));
    expect(ca.subject).toEqual(prod.certificateAuthorities[0].subject);
    const bare = parseTrustedRoot(mutated(prod, (r: any) => {
      delete r.certificateAuthorities[0].subject;
      delete r.certificateAuthorities[0].uri;
      delete r.certificateAuthorities[0].validFor;
      delete r.tlogs[0].publicKey.rawBytes;
      delete r.tlogs[0].publicKey.keyDetails;
    }));
    expect(bare.certificateAuthorities[0]).toMatchObject({ subject: {}, uri: '', validFor: {} });
    expect(bare.tlogs[0]!.publicKey).toEqual({ keyDetails: 'PUBLIC_KEY_DETAILS_UNSPECIFIED', validFor: expect.any(Object) });
  });

  it.each([
    ['2021-01-12T11:53:27Z', '2021-01-12T11:53:27.000Z'],
    ['2021-01-12T11:53:27.000Z', '2021-01-12T11:53:27.000Z'],
    ['2021-01-12t11:53:27.123456789z', '2021-01-12T11:53:27.123Z'],
    ['2021-01-12T11:53:27.5+01:30', '2021-01-12T10:23:27.500Z'],
    ['2021-01-12T00:00:00-05:00', '2021-01-12T05:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads the timestamp %s', (text, iso) => {
    const root = parseTrustedRoot(startOf(prod)(text));
    expect(root.tlogs[0]!.publicKey.validFor.start!.toISOString()).toBe(iso);
  });

  it.each([
    '2021-01-12',
    '2021-01-12T11:53:27',
    '2021-01-12 11:53:27Z',
    '2021-13-01T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '2021-04-31T00:00:00Z',
    '2021-01-12T24:00:00Z',
    '2021-01-12T23:60:00Z',
    '2021-01-12T23:59:60Z',
    '2021-01-12T11:53:27.Z',
    '2021-01-12T11:53:27.1234567890Z',
    '2021-01-12T11:53:27+24:00',
    '2021-01-12T11:53:27+0100',
    '0000-12-31T23:00:00Z',
    '0001-01-01T00:30:00+01:00',
    '+02021-01-12T11:53:27Z',
    ' 2021-01-12T11:53:27Z',
    1610452407,
    {},
  ])('refuses the timestamp %j', (value) => {
    const err = expectBundleError(() => parseTrustedRoot(startOf(prod)(value)), 'BUNDLE_INVALID_FIELD', 'tlogs[0].publicKey.validFor.start');
    expect(err.details).toMatchObject({ document: 'trusted root' });
  });

  it.each<ErrorCase>([
    ['an unknown media type', (r) => (r.mediaType = 'application/vnd.dev.sigstore.trustedroot.v0.3+json'), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
    ['no media type', (r) => delete r.mediaType, 'BUNDLE_MISSING_FIELD', 'mediaType'],
    ['tlogs an object', (r) => (r.tlogs = {}), 'BUNDLE_INVALID_FIELD', 'tlogs'],
    ['129 tlogs', (r) => (r.tlogs = Array(129).fill(r.tlogs[0])), 'BUNDLE_TOO_LARGE', 'tlogs'],
    ['a tlog that is a string', (r) => (r.tlogs = ['x']), 'BUNDLE_INVALID_FIELD', 'tlogs[0]'],
    ['no hashAlgorithm', (r) => delete r.tlogs[0].hashAlgorithm, 'BUNDLE_MISSING_FIELD', 'tlogs[0].hashAlgorithm'],
    ['an unknown hashAlgorithm', (r) => (r.tlogs[0].hashAlgorithm = 'MD5'), 'BUNDLE_INVALID_FIELD', 'tlogs[0].hashAlgorithm'],
    ['a numeric baseUrl', (r) => (r.tlogs[0].baseUrl = 1), 'BUNDLE_INVALID_FIELD', 'tlogs[0].baseUrl'],
    ['no publicKey', (r) => delete r.tlogs[0].publicKey, 'BUNDLE_MISSING_FIELD', 'tlogs[0].publicKey'],
    ['rawBytes not base64', (r) => (r.tlogs[0].publicKey.rawBytes = 'MFkw!'), 'BUNDLE_INVALID_FIELD', 'tlogs[0].publicKey.rawBytes'],
    ['keyDetails a number', (r) => (r.tlogs[0].publicKey.keyDetails = 5), 'BUNDLE_INVALID_FIELD', 'tlogs[0].publicKey.keyDetails'],
    ['validFor a string', (r) => (r.tlogs[0].publicKey.validFor = '2021'), 'BUNDLE_INVALID_FIELD', 'tlogs[0].publicKey.validFor'],
    ['a bad validFor.end', (r) => (r.ctlogs[1].publicKey.validFor.end = 'soon'), 'BUNDLE_INVALID_FIELD', 'ctlogs[1].publicKey.validFor.end'],
    ['no logId', (r) => delete r.tlogs[0].logId, 'BUNDLE_MISSING_FIELD', 'tlogs[0].logId'],
    ['logId without keyId', (r) => (r.tlogs[0].logId = {}), 'BUNDLE_MISSING_FIELD', 'tlogs[0].logId.keyId'],
    ['checkpointKeyId a string', (r) => (r.tlogs[0].checkpointKeyId = 'AAEC'), 'BUNDLE_INVALID_FIELD', 'tlogs[0].checkpointKeyId'],
    ['operator a number', (r) => (r.tlogs[0].operator = 1), 'BUNDLE_INVALID_FIELD', 'tlogs[0].operator'],
    ['no certChain', (r) => delete r.certificateAuthorities[0].certChain, 'BUNDLE_MISSING_FIELD', 'certificateAuthorities[0].certChain'],
    ['an empty certChain', (r) => (r.certificateAuthorities[0].certChain.certificates = []), 'BUNDLE_INVALID_FIELD', 'certificateAuthorities[0].certChain.certificates'],
    ['a chain of 11', (r) => (r.certificateAuthorities[0].certChain.certificates = Array(11).fill(r.certificateAuthorities[0].certChain.certificates[0])), 'BUNDLE_TOO_LARGE', 'certificateAuthorities[0].certChain.certificates'],
    ['a certificate without rawBytes', (r) => (r.timestampAuthorities[0].certChain.certificates[0] = {}), 'BUNDLE_MISSING_FIELD', 'timestampAuthorities[0].certChain.certificates[0].rawBytes'],
    ['a numeric organization', (r) => (r.certificateAuthorities[0].subject.organization = 1), 'BUNDLE_INVALID_FIELD', 'certificateAuthorities[0].subject.organization'],
    ['a numeric uri', (r) => (r.certificateAuthorities[0].uri = 1), 'BUNDLE_INVALID_FIELD', 'certificateAuthorities[0].uri'],
  ])('refuses a root with %s', (_name, change, code, path) => {
    const err = expectBundleError(() => parseTrustedRoot(JSON.stringify(mutated(prod, change))), code, path);
    expect(err.details).toMatchObject({ document: 'trusted root' });
    expect(err.message.startsWith('trusted root')).toBe(true);
  });

  it('refuses invalid JSON and a root over 16 MiB', () => {
    expectBundleError(() => parseTrustedRoot('{"mediaType":'), 'BUNDLE_INVALID_JSON', '');
    expectBundleError(() => parseTrustedRoot(' '.repeat(16 * 1024 * 1024 + 1)), 'BUNDLE_TOO_LARGE', '');
  });

  it('refuses to serialise an invalid Date', () => {
    const root = parseTrustedRoot(prod);
    const broken: TrustedRoot = { ...root, ctlogs: [{ ...root.ctlogs[0]!, publicKey: { ...root.ctlogs[0]!.publicKey, validFor: { start: new Date(NaN) } } }] };
    expectBundleError(() => serializeTrustedRoot(broken), 'BUNDLE_INVALID_FIELD', 'ctlogs[0].publicKey.validFor.start');
  });
});

describe('parseSigningConfig', () => {
  it('reads a v0.2 signing config and round-trips it', () => {
    const config = parseSigningConfig(JSON.stringify(signingConfig));
    expect(config.rekorTlogUrls.map((s) => [s.url, s.majorApiVersion])).toEqual([
      ['https://log2025-alpha1.rekor.sigstage.dev', 2],
      ['https://rekor.sigstage.dev', 1],
    ]);
    expect(config.rekorTlogUrls[0]!.validFor.end).toEqual(new Date('2029-12-31T23:00:00.500Z'));
    expect(config.rekorTlogConfig).toEqual({ selector: 'EXACT', count: 1 });
    expect(config.tsaConfig).toEqual({ selector: 'ANY', count: 0 });
    expect(parseSigningConfig(JSON.stringify(serializeSigningConfig(config)))).toEqual(config);
  });

  it('reads absent lists as empty and an absent operator as empty', () => {
    const config = parseSigningConfig({ mediaType: signingConfig.mediaType, caUrls: [{ url: 'https://ca', majorApiVersion: '1', validFor: {} }] });
    expect(config).toEqual({
      mediaType: signingConfig.mediaType,
      caUrls: [{ url: 'https://ca', majorApiVersion: 1, validFor: {}, operator: '' }],
      oidcUrls: [],
      rekorTlogUrls: [],
      tsaUrls: [],
    });
  });

  it.each<ErrorCase>([
    ['the v0.1 media type', (c) => (c.mediaType = 'application/vnd.dev.sigstore.signingconfig.v0.1+json'), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
    ['caUrls a string', (c) => (c.caUrls = 'https://ca'), 'BUNDLE_INVALID_FIELD', 'caUrls'],
    ['a service without url', (c) => delete c.tsaUrls[0].url, 'BUNDLE_MISSING_FIELD', 'tsaUrls[0].url'],
    ['a service without majorApiVersion', (c) => delete c.rekorTlogUrls[1].majorApiVersion, 'BUNDLE_MISSING_FIELD', 'rekorTlogUrls[1].majorApiVersion'],
    ['a negative majorApiVersion', (c) => (c.rekorTlogUrls[0].majorApiVersion = -1), 'BUNDLE_INVALID_FIELD', 'rekorTlogUrls[0].majorApiVersion'],
    ['a majorApiVersion past uint32', (c) => (c.rekorTlogUrls[0].majorApiVersion = 2 ** 32), 'BUNDLE_INVALID_FIELD', 'rekorTlogUrls[0].majorApiVersion'],
    ['a fractional majorApiVersion', (c) => (c.rekorTlogUrls[0].majorApiVersion = 1.5), 'BUNDLE_INVALID_FIELD', 'rekorTlogUrls[0].majorApiVersion'],
    ['a service without validFor', (c) => delete c.caUrls[0].validFor, 'BUNDLE_MISSING_FIELD', 'caUrls[0].validFor'],
    ['a bad validFor.start', (c) => (c.oidcUrls[0].validFor.start = 'yesterday'), 'BUNDLE_INVALID_FIELD', 'oidcUrls[0].validFor.start'],
    ['an operator that is a list', (c) => (c.caUrls[0].operator = []), 'BUNDLE_INVALID_FIELD', 'caUrls[0].operator'],
    ['an unknown selector', (c) => (c.tsaConfig.selector = 'SOME'), 'BUNDLE_INVALID_FIELD', 'tsaConfig.selector'],
    ['no selector', (c) => (c.rekorTlogConfig = { count: 1 }), 'BUNDLE_MISSING_FIELD', 'rekorTlogConfig.selector'],
    ['a string count', (c) => (c.rekorTlogConfig.count = 'one'), 'BUNDLE_INVALID_FIELD', 'rekorTlogConfig.count'],
    ['129 services', (c) => (c.caUrls = Array(129).fill(c.caUrls[0])), 'BUNDLE_TOO_LARGE', 'caUrls'],
  ])('refuses a config with %s', (_name, change, code, path) => {
    const err = expectBundleError(() => parseSigningConfig(mutated(signingConfig, change)), code, path);
    expect(err.details).toMatchObject({ document: 'signing config' });
  });
});

describe('parseClientTrustConfig', () => {
  const trustConfig = { mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json', trustedRoot: prod, signingConfig };

  it('reads both documents and round-trips', () => {
    const config = parseClientTrustConfig(JSON.stringify(trustConfig));
    expect(config.trustedRoot).toEqual(parseTrustedRoot(prod));
    expect(config.signingConfig).toEqual(parseSigningConfig(signingConfig));
    expect(serializeClientTrustConfig(config)).toEqual({
      mediaType: trustConfig.mediaType,
      trustedRoot: serializeTrustedRoot(config.trustedRoot),
      signingConfig: serializeSigningConfig(config.signingConfig),
    });
    expect(parseClientTrustConfig(serializeClientTrustConfig(config))).toEqual(config);
  });

  it.each<ErrorCase>([
    ['an unknown media type', (c) => (c.mediaType = 'application/json'), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
    ['no trusted root', (c) => delete c.trustedRoot, 'BUNDLE_MISSING_FIELD', 'trustedRoot'],
    ['no signing config', (c) => delete c.signingConfig, 'BUNDLE_MISSING_FIELD', 'signingConfig'],
    ['a bad root inside', (c) => (c.trustedRoot.tlogs[0].logId.keyId = '*'), 'BUNDLE_INVALID_FIELD', 'trustedRoot.tlogs[0].logId.keyId'],
    ['a bad config inside', (c) => (c.signingConfig.mediaType = 'x'), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'signingConfig.mediaType'],
  ])('refuses a config with %s', (_name, change, code, path) => {
    const err = expectBundleError(() => parseClientTrustConfig(mutated(trustConfig, change)), code, path);
    expect(err.details).toMatchObject({ document: 'client trust config' });
  });
});
