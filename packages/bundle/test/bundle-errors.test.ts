import { describe, expect, it } from 'vitest';
import { BundleError, parseBundle, type BundleErrorCode } from '../src/index.js';
import { expectBundleError, mutated, readJsonFixture } from './helpers.js';

// A v0.3 message-signature bundle with a messageDigest, and a v0.3 DSSE one.
const message = readJsonFixture('corpus/java-pkix-ecdsa-p256/bundle.json');
const dsse = readJsonFixture('corpus/js-v03-intoto/bundle.json');
const v01 = readJsonFixture('corpus/java-v01-prod-google/bundle.json');

const TLOG = 'verificationMaterial.tlogEntries[0]';
const entry = (b: any) => b.verificationMaterial.tlogEntries[0];
const proof = (b: any) => entry(b).inclusionProof;

type Case = [name: string, base: unknown, change: (b: any) => void, code: BundleErrorCode, path: string];

const cases: Case[] = [
  // Document level
  ['root is an array', message, () => {}, 'BUNDLE_INVALID_FIELD', ''],
  ['mediaType is a number', message, (b) => (b.mediaType = 3), 'BUNDLE_INVALID_FIELD', 'mediaType'],
  ['unknown media type', message, (b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle.v0.4+json'), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
  ['media type in another case', message, (b) => (b.mediaType = b.mediaType.toUpperCase()), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType'],
  ['no media type and no legacy signature', message, (b) => delete b.mediaType, 'BUNDLE_MISSING_FIELD', 'mediaType'],
  ['no verificationMaterial', message, (b) => delete b.verificationMaterial, 'BUNDLE_MISSING_FIELD', 'verificationMaterial'],
  ['verificationMaterial is a string', message, (b) => (b.verificationMaterial = 'x'), 'BUNDLE_INVALID_FIELD', 'verificationMaterial'],
  // Content oneof
  ['two contents', message, (b) => (b.dsseEnvelope = dsse.dsseEnvelope), 'BUNDLE_INVALID_FIELD', ''],
  ['no content', message, (b) => delete b.messageSignature, 'BUNDLE_MISSING_FIELD', ''],
  ['messageSignature is an array', message, (b) => (b.messageSignature = []), 'BUNDLE_INVALID_FIELD', 'messageSignature'],
  ['no signature', message, (b) => delete b.messageSignature.signature, 'BUNDLE_MISSING_FIELD', 'messageSignature.signature'],
  ['signature is a number', message, (b) => (b.messageSignature.signature = 7), 'BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  ['signature with bad base64', message, (b) => (b.messageSignature.signature = 'MEUC*'), 'BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  ['signature of impossible length', message, (b) => (b.messageSignature.signature = 'MEUCI'), 'BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  ['signature with line breaks and junk', message, (b) => (b.messageSignature.signature = 'MEUC\nIHWE!'), 'BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  ['signature mixing base64 alphabets', message, (b) => (b.messageSignature.signature = 'ab+_'), 'BUNDLE_INVALID_FIELD', 'messageSignature.signature'],
  ['digest algorithm unknown', message, (b) => (b.messageSignature.messageDigest.algorithm = 'SHA3_256'), 'BUNDLE_INVALID_FIELD', 'messageSignature.messageDigest.algorithm'],
  ['digest algorithm as a number', message, (b) => (b.messageSignature.messageDigest.algorithm = 1), 'BUNDLE_INVALID_FIELD', 'messageSignature.messageDigest.algorithm'],
  ['digest algorithm missing', message, (b) => delete b.messageSignature.messageDigest.algorithm, 'BUNDLE_MISSING_FIELD', 'messageSignature.messageDigest.algorithm'],
  ['digest missing', message, (b) => delete b.messageSignature.messageDigest.digest, 'BUNDLE_MISSING_FIELD', 'messageSignature.messageDigest.digest'],
  ['digest of the wrong size', message, (b) => (b.messageSignature.messageDigest.algorithm = 'SHA2_384'), 'BUNDLE_INVALID_FIELD', 'messageSignature.messageDigest.digest'],
  // DSSE
  ['DSSE with no signatures', dsse, (b) => (b.dsseEnvelope.signatures = []), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures'],
  ['DSSE with two signatures', dsse, (b) => b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures'],
  ['DSSE with a thousand signatures', dsse, (b) => (b.dsseEnvelope.signatures = Array(1000).fill(b.dsseEnvelope.signatures[0])), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures'],
  ['DSSE signatures missing', dsse, (b) => delete b.dsseEnvelope.signatures, 'BUNDLE_MISSING_FIELD', 'dsseEnvelope.signatures'],
  ['DSSE signatures an object', dsse, (b) => (b.dsseEnvelope.signatures = {}), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures'],
  ['DSSE signature null', dsse, (b) => (b.dsseEnvelope.signatures = [null]), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures[0]'],
  ['DSSE sig missing', dsse, (b) => delete b.dsseEnvelope.signatures[0].sig, 'BUNDLE_MISSING_FIELD', 'dsseEnvelope.signatures[0].sig'],
  ['DSSE sig bad base64', dsse, (b) => (b.dsseEnvelope.signatures[0].sig = 'not base64!'), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures[0].sig'],
  ['DSSE keyid a number', dsse, (b) => (b.dsseEnvelope.signatures[0].keyid = 1), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.signatures[0].keyid'],
  ['DSSE payload missing', dsse, (b) => delete b.dsseEnvelope.payload, 'BUNDLE_MISSING_FIELD', 'dsseEnvelope.payload'],
  ['DSSE payloadType a boolean', dsse, (b) => (b.dsseEnvelope.payloadType = true), 'BUNDLE_INVALID_FIELD', 'dsseEnvelope.payloadType'],
  // Key material
  ['no key material', message, (b) => delete b.verificationMaterial.certificate, 'BUNDLE_MISSING_FIELD', 'verificationMaterial'],
  ['two kinds of key material', message, (b) => (b.verificationMaterial.publicKey = { hint: 'k' }), 'BUNDLE_INVALID_FIELD', 'verificationMaterial'],
  ['certificate without rawBytes', message, (b) => (b.verificationMaterial.certificate = {}), 'BUNDLE_MISSING_FIELD', 'verificationMaterial.certificate.rawBytes'],
  ['certificate rawBytes an array', message, (b) => (b.verificationMaterial.certificate.rawBytes = []), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.certificate.rawBytes'],
  ['public key hint a number', message, (b) => {
    delete b.verificationMaterial.certificate;
    b.verificationMaterial.publicKey = { hint: 5 };
  }, 'BUNDLE_INVALID_FIELD', 'verificationMaterial.publicKey.hint'],
  ['chain without certificates', v01, (b) => delete b.verificationMaterial.x509CertificateChain.certificates, 'BUNDLE_MISSING_FIELD', 'verificationMaterial.x509CertificateChain.certificates'],
  ['chain of 11 certificates', v01, (b) => {
    const certs = b.verificationMaterial.x509CertificateChain.certificates;
    b.verificationMaterial.x509CertificateChain.certificates = Array(11).fill(certs[0]);
  }, 'BUNDLE_TOO_LARGE', 'verificationMaterial.x509CertificateChain.certificates'],
  ['chain certificate bad base64', v01, (b) => (b.verificationMaterial.x509CertificateChain.certificates[0].rawBytes = '@@@@'), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.x509CertificateChain.certificates[0].rawBytes'],
  // Log entries
  ['tlogEntries an object', message, (b) => (b.verificationMaterial.tlogEntries = {}), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.tlogEntries'],
  ['33 tlog entries', message, (b) => (b.verificationMaterial.tlogEntries = Array(33).fill(entry(b))), 'BUNDLE_TOO_LARGE', 'verificationMaterial.tlogEntries'],
  ['tlog entry a string', message, (b) => (b.verificationMaterial.tlogEntries = ['x']), 'BUNDLE_INVALID_FIELD', TLOG],
  ['negative logIndex string', message, (b) => (entry(b).logIndex = '-1'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['negative logIndex number', message, (b) => (entry(b).logIndex = -1), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex with a plus sign', message, (b) => (entry(b).logIndex = '+1'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex with a fraction', message, (b) => (entry(b).logIndex = 1.5), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex in exponent form', message, (b) => (entry(b).logIndex = '1e3'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex with spaces', message, (b) => (entry(b).logIndex = ' 1'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex empty', message, (b) => (entry(b).logIndex = ''), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex past int64', message, (b) => (entry(b).logIndex = '9223372036854775808'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex of 30 digits', message, (b) => (entry(b).logIndex = '1'.repeat(30)), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex a number past 2^53', message, (b) => (entry(b).logIndex = 2 ** 60), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['logIndex a boolean', message, (b) => (entry(b).logIndex = true), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`],
  ['integratedTime negative', message, (b) => (entry(b).integratedTime = '-5'), 'BUNDLE_INVALID_FIELD', `${TLOG}.integratedTime`],
  ['integratedTime an object', message, (b) => (entry(b).integratedTime = {}), 'BUNDLE_INVALID_FIELD', `${TLOG}.integratedTime`],
  ['logId missing', message, (b) => delete entry(b).logId, 'BUNDLE_MISSING_FIELD', `${TLOG}.logId`],
  ['logId keyId missing', message, (b) => (entry(b).logId = {}), 'BUNDLE_MISSING_FIELD', `${TLOG}.logId.keyId`],
  ['logId a string', message, (b) => (entry(b).logId = 'wNI9'), 'BUNDLE_INVALID_FIELD', `${TLOG}.logId`],
  ['kindVersion missing', message, (b) => delete entry(b).kindVersion, 'BUNDLE_MISSING_FIELD', `${TLOG}.kindVersion`],
  ['kind a number', message, (b) => (entry(b).kindVersion.kind = 1), 'BUNDLE_INVALID_FIELD', `${TLOG}.kindVersion.kind`],
  ['version missing', message, (b) => delete entry(b).kindVersion.version, 'BUNDLE_MISSING_FIELD', `${TLOG}.kindVersion.version`],
  ['canonicalizedBody missing', message, (b) => delete entry(b).canonicalizedBody, 'BUNDLE_MISSING_FIELD', `${TLOG}.canonicalizedBody`],
  ['canonicalizedBody bad base64', message, (b) => (entry(b).canonicalizedBody = 'e30=x'), 'BUNDLE_INVALID_FIELD', `${TLOG}.canonicalizedBody`],
  ['promise without SET', message, (b) => (entry(b).inclusionPromise = {}), 'BUNDLE_MISSING_FIELD', `${TLOG}.inclusionPromise.signedEntryTimestamp`],
  ['promise a string', message, (b) => (entry(b).inclusionPromise = 'MEU='), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionPromise`],
  ['proof a list', message, (b) => (entry(b).inclusionProof = []), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionProof`],
  ['proof logIndex negative', message, (b) => (proof(b).logIndex = '-2'), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionProof.logIndex`],
  ['proof treeSize overflowing', message, (b) => (proof(b).treeSize = '18446744073709551616'), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionProof.treeSize`],
  ['proof rootHash missing', message, (b) => delete proof(b).rootHash, 'BUNDLE_MISSING_FIELD', `${TLOG}.inclusionProof.rootHash`],
  ['proof hash not a string', message, (b) => (proof(b).hashes[1] = 5), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionProof.hashes[1]`],
  ['proof of 65 hashes', message, (b) => (proof(b).hashes = Array(65).fill(proof(b).hashes[0])), 'BUNDLE_TOO_LARGE', `${TLOG}.inclusionProof.hashes`],
  ['checkpoint a string', message, (b) => (proof(b).checkpoint = 'rekor.sigstore.dev - 1'), 'BUNDLE_INVALID_FIELD', `${TLOG}.inclusionProof.checkpoint`],
  ['checkpoint without envelope', message, (b) => (proof(b).checkpoint = {}), 'BUNDLE_MISSING_FIELD', `${TLOG}.inclusionProof.checkpoint.envelope`],
  // Timestamps
  ['timestampVerificationData a list', message, (b) => (b.verificationMaterial.timestampVerificationData = []), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.timestampVerificationData'],
  ['33 timestamps', message, (b) => (b.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: Array(33).fill({ signedTimestamp: 'MA==' }) }), 'BUNDLE_TOO_LARGE', 'verificationMaterial.timestampVerificationData.rfc3161Timestamps'],
  ['timestamp without signedTimestamp', message, (b) => (b.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{}] }), 'BUNDLE_MISSING_FIELD', 'verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp'],
];

describe('parseBundle refuses malformed bundles, naming the path', () => {
  it.each(cases)('%s', (name, base, change, code, path) => {
    const input = name === 'root is an array' ? [base] : mutated(base, change);
    expectBundleError(() => parseBundle(input), code, path);
    // The same from JSON text and from UTF-8 bytes.
    expectBundleError(() => parseBundle(JSON.stringify(input)), code, path);
    expectBundleError(() => parseBundle(new TextEncoder().encode(JSON.stringify(input))), code, path);
  });

  it('names the path and the value in the message', () => {
    const err = expectBundleError(() => parseBundle(mutated(message, (b) => (entry(b).logIndex = '-1'))), 'BUNDLE_INVALID_FIELD', `${TLOG}.logIndex`);
    expect(err.message.startsWith(`${TLOG}.logIndex:`)).toBe(true);
    expect(err.details).toMatchObject({ document: 'bundle' });
  });

  it('gives a hint with an unsupported media type', () => {
    const err = expectBundleError(() => parseBundle(mutated(message, (b) => (b.mediaType = 'x'))), 'BUNDLE_UNSUPPORTED_MEDIA_TYPE', 'mediaType');
    expect(err.hint).toBeTruthy();
    expect(err.details).toMatchObject({ mediaType: 'x' });
  });
});

describe('parseBundle input handling', () => {
  it.each([
    ['truncated JSON', '{"mediaType": "appl', 'BUNDLE_INVALID_JSON'],
    ['empty text', '', 'BUNDLE_INVALID_JSON'],
    ['a BOM before the JSON', '\uFEFF{}', 'BUNDLE_INVALID_JSON'],
    ['JSON null', 'null', 'BUNDLE_INVALID_FIELD'],
    ['a JSON string', '"bundle"', 'BUNDLE_INVALID_FIELD'],
    ['a number value', 42, 'BUNDLE_INVALID_FIELD'],
    ['undefined', undefined, 'BUNDLE_INVALID_FIELD'],
    ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0xff, 0x7d]), 'BUNDLE_INVALID_JSON'],
  ] as const)('%s', (_name, input, code) => {
    expectBundleError(() => parseBundle(input), code as BundleErrorCode, '');
  });

  it('refuses text over 64 MiB before parsing it', () => {
    const huge = ' '.repeat(64 * 1024 * 1024 + 1);
    expectBundleError(() => parseBundle(huge), 'BUNDLE_TOO_LARGE', '');
    expectBundleError(() => parseBundle(new Uint8Array(64 * 1024 * 1024 + 1)), 'BUNDLE_TOO_LARGE', '');
  });

  it('ignores unknown fields and reads null as unset, as protobuf JSON does', () => {
    const withExtras = mutated(v01, (b) => {
      b.futureField = { anything: [1, 2] };
      b.verificationMaterial.timestampVerificationData = null;
      entry(b).inclusionProof = null;
      entry(b).unknown = 'x';
      b.messageSignature.messageDigest = null;
    });
    const bundle = parseBundle(withExtras);
    expect(bundle.verificationMaterial.tlogEntries[0]!.inclusionProof).toBeUndefined();
    expect(bundle.verificationMaterial.rfc3161Timestamps).toEqual([]);
    expect(bundle.content.$case === 'messageSignature' && bundle.content.messageDigest).toBeUndefined();
  });

  it('reads int64 fields from strings or numbers, leading zeros included, into bigint', () => {
    const read = (value: unknown) => parseBundle(mutated(message, (b) => (entry(b).logIndex = value))).verificationMaterial.tlogEntries[0]!.logIndex;
    expect(read('9223372036854775807')).toBe(9223372036854775807n);
    expect(read(123)).toBe(123n);
    expect(read('0042')).toBe(42n);
    expect(read(0)).toBe(0n);
    expect(read(undefined)).toBe(0n);
  });

  it('reads an absent integratedTime as 0, as Rekor v2 entries have it', () => {
    const bundle = parseBundle(readJsonFixture('corpus/py-rekor2-staging-hashedrekord/bundle.json'));
    expect(bundle.verificationMaterial.tlogEntries[0]!.integratedTime).toBe(0n);
  });

  it('skips CR and LF inside base64, as Go does', () => {
    const bundle = parseBundle(mutated(message, (b) => (b.messageSignature.signature = 'AAEC\r\nAwQF\nBg==')));
    expect(bundle.content.$case === 'messageSignature' && bundle.content.signature).toEqual(new Uint8Array([0, 1, 2, 3, 4, 5, 6]));
  });

  it('accepts URL-safe base64 and missing padding', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xfe, 0x01]);
    const bundle = parseBundle(mutated(message, (b) => (b.messageSignature.signature = Buffer.from(bytes).toString('base64url'))));
    expect(bundle.content.$case === 'messageSignature' && bundle.content.signature).toEqual(bytes);
  });

  it('wraps anything unexpected in a BundleError', () => {
    const hostile = {
      get mediaType(): string {
        throw new RangeError('boom');
      },
    };
    expect(() => parseBundle(hostile)).toThrow(BundleError);
  });
});
