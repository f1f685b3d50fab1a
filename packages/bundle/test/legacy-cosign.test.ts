import { describe, expect, it } from 'vitest';
import { derToPem } from '@sigil/encoding';
import { parseBundle, serializeBundle, serializeEnvelope, type Bundle } from '../src/index.js';
import { expectBundleError, type ErrorCase, mutated, readJsonFixture } from './helpers.js';

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

/** The file `cosign sign-blob --bundle` would have written for the same signature. */
function legacyFrom(modern: Bundle): any {
  const content = modern.content;
  const material = modern.verificationMaterial;
  if (content.$case !== 'messageSignature' || material.content.$case !== 'x509CertificateChain') throw new Error('fixture changed');
  const entry = material.tlogEntries[0]!;
  return {
    base64Signature: b64(content.signature),
    cert: b64(derToPem(material.content.certificates[0]!, 'CERTIFICATE')),
    rekorBundle: {
      SignedEntryTimestamp: b64(entry.inclusionPromise!.signedEntryTimestamp),
      Payload: {
        body: b64(entry.canonicalizedBody),
        integratedTime: Number(entry.integratedTime),
        logIndex: Number(entry.logIndex),
        logID: Buffer.from(entry.logId).toString('hex'),
      },
    },
  };
}

const modern = parseBundle(readJsonFixture('corpus/java-v01-prod-google/bundle.json'));
const legacy = legacyFrom(modern);

describe('legacy cosign bundles', () => {
  it('map to the same material as the v0.1 bundle they were made from', () => {
    const bundle = parseBundle(JSON.stringify(legacy));
    const entry = modern.verificationMaterial.tlogEntries[0]!;
    expect(bundle.version).toBe('cosign-legacy');
    expect(bundle.mediaType).toBe('');
    expect(bundle.content).toEqual({ $case: 'messageSignature', signature: (modern.content as { signature: Uint8Array }).signature });
    expect(bundle.verificationMaterial).toEqual({
      content: { $case: 'certificate', certificate: (modern.verificationMaterial.content as { certificates: Uint8Array[] }).certificates[0] },
      tlogEntries: [
        {
          logIndex: entry.logIndex,
          logId: entry.logId,
          kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
          integratedTime: entry.integratedTime,
          inclusionPromise: entry.inclusionPromise,
          canonicalizedBody: entry.canonicalizedBody,
        },
      ],
      rfc3161Timestamps: [],
    });
  });

  it('round-trip through serializeBundle in the legacy layout', () => {
    const bundle = parseBundle(legacy);
    expect(serializeBundle(bundle)).toEqual(legacy);
    expect(parseBundle(JSON.stringify(serializeBundle(bundle)))).toEqual(bundle);
  });

  it('accept the certificate as PEM text too (cosign verify-blob does)', () => {
    const pem = Buffer.from(legacy.cert, 'base64').toString('utf8');
    const bundle = parseBundle(mutated(legacy, (b) => (b.cert = pem)));
    expect(bundle.verificationMaterial.content).toEqual(parseBundle(legacy).verificationMaterial.content);
  });

  it('read a certificate chain as x509CertificateChain, leaf first', () => {
    const pem = Buffer.from(legacy.cert, 'base64').toString('utf8');
    const bundle = parseBundle(mutated(legacy, (b) => (b.cert = b64(pem + pem))));
    expect(bundle.verificationMaterial.content.$case).toBe('x509CertificateChain');
  });

  it('read a key-signed bundle (public key or no cert) as publicKey material', () => {
    const keyPem = derToPem(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 'PUBLIC KEY');
    for (const change of [(b: any) => (b.cert = b64(keyPem)), (b: any) => delete b.cert, (b: any) => (b.cert = '')]) {
      expect(parseBundle(mutated(legacy, change)).verificationMaterial.content).toEqual({ $case: 'publicKey', hint: '' });
    }
  });

  it('read a bundle without log upload as having no entries', () => {
    const bundle = parseBundle(mutated(legacy, (b) => delete b.rekorBundle));
    expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
  });

  it('read a cosign attest-blob bundle (a DSSE envelope in base64Signature) as a DSSE bundle', () => {
    const dsse = parseBundle(readJsonFixture('corpus/js-v03-intoto/bundle.json'));
    if (dsse.content.$case !== 'dsseEnvelope') throw new Error('fixture changed');
    const envelopeJson = JSON.stringify(serializeEnvelope(dsse.content.envelope));
    const withEnvelope = mutated(legacy, (b) => (b.base64Signature = b64(envelopeJson)));
    const bundle = parseBundle(withEnvelope);
    expect(bundle.content).toEqual(dsse.content);
    expect(serializeBundle(bundle)).toEqual(withEnvelope);
  });

  it("keep a signature that starts with '{' but is not JSON as signature bytes", () => {
    const sig = new Uint8Array([0x7b, 0x00, 0xff, 0x10]);
    const bundle = parseBundle(mutated(legacy, (b) => (b.base64Signature = b64(sig))));
    expect(bundle.content).toEqual({ $case: 'messageSignature', signature: sig });
  });

  it('refuse an envelope or log entry body over its limits as such, not as signature bytes or "something else"', () => {
    const deep = `{"payload":${'['.repeat(100)}${']'.repeat(100)}}`;
    const envelope = expectBundleError(() => parseBundle(mutated(legacy, (b) => (b.base64Signature = b64(deep)))), 'BUNDLE_TOO_LARGE', 'base64Signature');
    expect(envelope.message).toBe('base64Signature: DSSE envelope: expected JSON nested at most 100 levels deep, found deeper nesting at offset 110');
    const body = expectBundleError(() => parseBundle(mutated(legacy, (b) => (b.rekorBundle.Payload.body = b64(deep)))), 'BUNDLE_TOO_LARGE', 'rekorBundle.Payload.body');
    expect(body.message).toContain('rekorBundle.Payload.body: Rekor entry body: expected JSON nested at most 100 levels deep');
  });

  const P = 'rekorBundle.Payload';
  it.each<ErrorCase>([
    ['base64Signature not base64', (b) => (b.base64Signature = '%%%'), 'BUNDLE_INVALID_FIELD', 'base64Signature'],
    ['base64Signature a number', (b) => (b.base64Signature = 1), 'BUNDLE_INVALID_FIELD', 'base64Signature'],
    ['envelope with two signatures', (b) => (b.base64Signature = b64('{"payload":"e30=","payloadType":"t","signatures":[{"sig":"AA=="},{"sig":"AA=="}]}')), 'BUNDLE_INVALID_FIELD', 'base64Signature.signatures'],
    ['cert a number', (b) => (b.cert = 5), 'BUNDLE_INVALID_FIELD', 'cert'],
    ['cert not base64', (b) => (b.cert = 'not base64!'), 'BUNDLE_INVALID_FIELD', 'cert'],
    ['cert base64 of no PEM', (b) => (b.cert = b64('hello')), 'BUNDLE_INVALID_FIELD', 'cert'],
    ['cert base64 of invalid UTF-8', (b) => (b.cert = b64(new Uint8Array([0xff, 0xfe]))), 'BUNDLE_INVALID_FIELD', 'cert'],
    ['cert a private key', (b) => (b.cert = b64(derToPem(new Uint8Array([1]), 'PRIVATE KEY'))), 'BUNDLE_INVALID_FIELD', 'cert'],
    ['cert of 11 certificates', (b) => (b.cert = b64(Buffer.from(b.cert, 'base64').toString().repeat(11))), 'BUNDLE_TOO_LARGE', 'cert'],
    ['rekorBundle a string', (b) => (b.rekorBundle = 'x'), 'BUNDLE_INVALID_FIELD', 'rekorBundle'],
    ['no SignedEntryTimestamp', (b) => delete b.rekorBundle.SignedEntryTimestamp, 'BUNDLE_MISSING_FIELD', 'rekorBundle.SignedEntryTimestamp'],
    ['lower-case signedEntryTimestamp key', (b) => {
      b.rekorBundle.signedEntryTimestamp = b.rekorBundle.SignedEntryTimestamp;
      delete b.rekorBundle.SignedEntryTimestamp;
    }, 'BUNDLE_MISSING_FIELD', 'rekorBundle.SignedEntryTimestamp'],
    ['SET not base64', (b) => (b.rekorBundle.SignedEntryTimestamp = '!'), 'BUNDLE_INVALID_FIELD', 'rekorBundle.SignedEntryTimestamp'],
    ['no Payload', (b) => delete b.rekorBundle.Payload, 'BUNDLE_MISSING_FIELD', P],
    ['no body', (b) => delete b.rekorBundle.Payload.body, 'BUNDLE_MISSING_FIELD', `${P}.body`],
    ['body an object', (b) => (b.rekorBundle.Payload.body = {}), 'BUNDLE_INVALID_FIELD', `${P}.body`],
    ['body not JSON', (b) => (b.rekorBundle.Payload.body = b64('not json')), 'BUNDLE_INVALID_FIELD', `${P}.body`],
    ['body JSON without kind', (b) => (b.rekorBundle.Payload.body = b64('{"apiVersion":"0.0.1"}')), 'BUNDLE_MISSING_FIELD', `${P}.body.kind`],
    ['body JSON with a numeric apiVersion', (b) => (b.rekorBundle.Payload.body = b64('{"kind":"hashedrekord","apiVersion":1}')), 'BUNDLE_INVALID_FIELD', `${P}.body.apiVersion`],
    ['body a JSON array', (b) => (b.rekorBundle.Payload.body = b64('[]')), 'BUNDLE_INVALID_FIELD', `${P}.body`],
    ['logIndex negative', (b) => (b.rekorBundle.Payload.logIndex = -1), 'BUNDLE_INVALID_FIELD', `${P}.logIndex`],
    ['integratedTime a float', (b) => (b.rekorBundle.Payload.integratedTime = 1.5), 'BUNDLE_INVALID_FIELD', `${P}.integratedTime`],
    ['no logID', (b) => delete b.rekorBundle.Payload.logID, 'BUNDLE_MISSING_FIELD', `${P}.logID`],
    ['logID not hex', (b) => (b.rekorBundle.Payload.logID = 'xyz'), 'BUNDLE_INVALID_FIELD', `${P}.logID`],
    ['logID a number', (b) => (b.rekorBundle.Payload.logID = 12), 'BUNDLE_INVALID_FIELD', `${P}.logID`],
  ])('refuse %s', (_name, change, code, path) => {
    expectBundleError(() => parseBundle(JSON.stringify(mutated(legacy, change))), code, path);
  });

  it('are recognised only without a mediaType', () => {
    expectBundleError(() => parseBundle({ ...legacy, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' }), 'BUNDLE_MISSING_FIELD', 'verificationMaterial');
  });

  it('refuse to serialise what the legacy layout cannot hold', () => {
    const bundle = parseBundle(legacy);
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    const withTwo = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [entry, entry] } };
    expectBundleError(() => serializeBundle(withTwo), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.tlogEntries');
    const withTimestamp = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, rfc3161Timestamps: [new Uint8Array([0x30])] } };
    expectBundleError(() => serializeBundle(withTimestamp), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.rfc3161Timestamps');
    const { inclusionPromise: _, ...noPromise } = entry;
    const withoutSet = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [noPromise] } };
    expectBundleError(() => serializeBundle(withoutSet), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.tlogEntries[0]');
    const huge = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [{ ...entry, logIndex: 2n ** 60n }] } };
    expectBundleError(() => serializeBundle(huge), 'BUNDLE_INVALID_FIELD', 'verificationMaterial.tlogEntries[0].logIndex');
  });
});
