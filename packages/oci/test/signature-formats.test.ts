import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatement } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { encodeHex, utf8Decode, utf8Encode } from '@sigil/encoding';
import { signBlob, type SignResult } from '@sigil/sign';
import { createStack, type Stack } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, createVerifier } from '@sigil/verify';
import { ImageSignatureError } from '../src/signatures/errors.js';
import { parseSimpleSigningPayload, simpleSigningPayload } from '../src/signatures/simple-signing.js';
import {
  bundleFromLegacyLayer,
  CERTIFICATE_ANNOTATION,
  CHAIN_ANNOTATION,
  legacyLayerAnnotations,
  REKOR_BUNDLE_ANNOTATION,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
} from '../src/signatures/legacy-layer.js';
import { appendSignatureLayer, signatureLayer, signatureLayersOf, signatureTag } from '../src/signatures/sig-manifest.js';
import { checkImageStatement, COSIGN_SIGN_PREDICATE_TYPE, imageSignatureStatement } from '../src/signatures/cosign-statement.js';
import { bundleLayerOf, bundleReferrerManifest } from '../src/signatures/bundle-referrer.js';

const DIGEST = 'sha256:e50f727c38cfb5b6d048fea932ea46bca7abe22d166a7858d4666812a800b402';

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImageSignatureError);
    expect((err as ImageSignatureError).code, (err as Error).message).toBe(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('simple-signing payload', () => {
  it('is the bytes cosign signs, with optional null when there are no annotations', () => {
    const payload = simpleSigningPayload({ dockerReference: '127.0.0.1:5000/test/hello', manifestDigest: DIGEST, annotations: {} });
    expect(utf8Decode(payload)).toBe(
      `{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/test/hello"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":null}`,
    );
  });

  it('writes annotations as Go does: keys sorted, <>& escaped', () => {
    const payload = simpleSigningPayload({ dockerReference: 'r/x', manifestDigest: DIGEST, annotations: { z: '1', a: 'x<y>&z' } });
    expect(utf8Decode(payload)).toMatch(/"optional":\{"a":"x\\u003cy\\u003e\\u0026z","z":"1"\}\}$/);
    expect(parseSimpleSigningPayload(payload).annotations).toEqual({ a: 'x<y>&z', z: '1' });
  });

  it('reads back what it wrote', () => {
    const claims = { dockerReference: 'registry.example/group/app', manifestDigest: DIGEST, annotations: { env: 'prod' } };
    expect(parseSimpleSigningPayload(simpleSigningPayload(claims))).toEqual(claims);
  });

  it.each([
    ['not JSON', 'nope'],
    ['not an object', '[1,2]'],
    ['no critical', '{"optional":null}'],
    ['another type', `{"critical":{"image":{"docker-manifest-digest":"${DIGEST}"},"type":"something else"}}`],
    ['no digest', '{"critical":{"image":{},"type":"cosign container image signature"}}'],
    ['a numeric digest', '{"critical":{"image":{"docker-manifest-digest":5},"type":"cosign container image signature"}}'],
    ['optional an array', `{"critical":{"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":[]}`],
  ])('refuses a payload that is %s', (_name, text) => {
    expectCode(() => parseSimpleSigningPayload(utf8Encode(text)), 'IMAGE_PAYLOAD_INVALID');
  });

  it('a payload refused for its shape says so, naming the limit', () => {
    const deep = utf8Encode(`${'['.repeat(101)}${']'.repeat(101)}`);
    expectCode(() => parseSimpleSigningPayload(deep), 'IMAGE_PAYLOAD_INVALID');
    expect(() => parseSimpleSigningPayload(deep)).toThrow('simple-signing payload: expected JSON nested at most 100 levels deep');
  });

  it('refuses an oversized payload', () => {
    expectCode(() => parseSimpleSigningPayload(new Uint8Array(2 * 1024 * 1024)), 'IMAGE_PAYLOAD_INVALID');
  });
});

describe('.sig layers, with a keyless signature from the local stack', () => {
  let dir: string;
  let stack: Stack;
  let trust: TrustMaterial;
  let signed: SignResult;
  const payload = simpleSigningPayload({ dockerReference: '127.0.0.1:5000/test/hello', manifestDigest: DIGEST, annotations: {} });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-oci-formats-'));
    stack = await createStack({ dir });
    trust = TrustMaterial.fromJson(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
    signed = await signBlob({ kind: 'bytes', bytes: payload }, { identityToken: await stack.mintToken(), fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, trust });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the signature, certificate, chain and Rekor bundle, and reads back as a bundle that verifies', async () => {
    const annotations = legacyLayerAnnotations(signed.bundle, signed.chain);
    expect(Object.keys(annotations).sort()).toEqual([SIGNATURE_ANNOTATION, CHAIN_ANNOTATION, CERTIFICATE_ANNOTATION, REKOR_BUNDLE_ANNOTATION].sort());
    expect(annotations[CHAIN_ANNOTATION]!.match(/BEGIN CERTIFICATE/g)).toHaveLength(signed.chain.length);
    expect(Object.keys(JSON.parse(annotations[REKOR_BUNDLE_ANNOTATION]!))).toEqual(['SignedEntryTimestamp', 'Payload']);

    const bundle = bundleFromLegacyLayer(annotations);
    const result = await createVerifier(trust).verify(bundle, artifactFromBytes(payload), {
      identities: [certificateIdentity({ identity: signed.identity, issuer: signed.issuer })],
    });
    expect(result.signer?.identity).toBe(signed.identity);
  });

  it('does not verify over another payload', async () => {
    const bundle = bundleFromLegacyLayer(legacyLayerAnnotations(signed.bundle, signed.chain));
    const other = simpleSigningPayload({ dockerReference: '127.0.0.1:5000/test/hello', manifestDigest: `sha256:${'0'.repeat(64)}`, annotations: {} });
    await expect(createVerifier(trust).verify(bundle, artifactFromBytes(other), { identities: [certificateIdentity({ identity: signed.identity, issuer: signed.issuer })] })).rejects.toMatchObject({
      code: 'VERIFY_SIGNATURE_INVALID',
    });
  });

  it.each([SIGNATURE_ANNOTATION, CERTIFICATE_ANNOTATION, REKOR_BUNDLE_ANNOTATION])('refuses a layer without %s', (key) => {
    const annotations: Record<string, string> = { ...legacyLayerAnnotations(signed.bundle, signed.chain) };
    delete annotations[key];
    expectCode(() => bundleFromLegacyLayer(annotations), 'IMAGE_SIGNATURE_LAYER_INVALID');
  });

  it.each([
    [CERTIFICATE_ANNOTATION, 'not a PEM'],
    [CERTIFICATE_ANNOTATION, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    [REKOR_BUNDLE_ANNOTATION, '{"SignedEntryTimestamp":'],
    [REKOR_BUNDLE_ANNOTATION, '{"SignedEntryTimestamp":"AAAA","Payload":{"body":"!!"}}'],
    [SIGNATURE_ANNOTATION, '%%%'],
    [SIGNATURE_ANNOTATION, 'A'.repeat(300 * 1024)],
  ])('refuses a layer whose %s is %j', (key, value) => {
    expectCode(() => bundleFromLegacyLayer({ ...legacyLayerAnnotations(signed.bundle, signed.chain), [key]: value.slice(0, 300 * 1024) }), 'IMAGE_SIGNATURE_LAYER_INVALID');
  });

  it('refuses no annotations at all', () => {
    expectCode(() => bundleFromLegacyLayer(undefined), 'IMAGE_SIGNATURE_LAYER_INVALID');
  });
});

describe('.sig manifest', () => {
  const first = signatureLayer(utf8Encode('payload one'), { [SIGNATURE_ANNOTATION]: 'c2lnMQ==' });
  const second = signatureLayer(utf8Encode('payload two'), { [SIGNATURE_ANNOTATION]: 'c2lnMg==' });

  it('is tagged sha256-<hex>.sig', () => {
    expect(signatureTag(DIGEST)).toBe(`sha256-${DIGEST.slice(7)}.sig`);
  });

  it('appends a signature to those already stored, and its config lists every layer', () => {
    const { manifest, config } = appendSignatureLayer([first.descriptor], second.descriptor);
    const json = JSON.parse(utf8Decode(manifest));
    expect(json.layers.map((l: { digest: string }) => l.digest)).toEqual([first.descriptor.digest, second.descriptor.digest]);
    expect(json.config.digest).toBe(`sha256:${encodeHex(sha256(config))}`);
    expect(JSON.parse(utf8Decode(config)).rootfs.diff_ids).toEqual([first.descriptor.digest, second.descriptor.digest]);
    expect(signatureLayersOf(json)).toHaveLength(2);
  });

  it('does not store the same signature twice', () => {
    const { manifest } = appendSignatureLayer([first.descriptor, second.descriptor], { ...first.descriptor });
    expect(JSON.parse(utf8Decode(manifest)).layers).toHaveLength(2);
  });

  it('reads only well-formed simple-signing layers', () => {
    const layers = [first.descriptor, { ...second.descriptor, mediaType: 'application/octet-stream' }, { digest: 'sha256:zz', size: 1, mediaType: SIMPLE_SIGNING_MEDIA_TYPE }, null, 7];
    expect(signatureLayersOf({ layers })).toEqual([first.descriptor]);
  });

  it.each([[{}], [{ layers: 'x' }], [{ layers: new Array(1001).fill(0) }], [null]])('refuses a manifest %#', (manifest) => {
    expectCode(() => signatureLayersOf(manifest), 'IMAGE_SIGNATURE_LAYER_INVALID');
  });
});

describe('cosign 3 image statement and bundle referrer', () => {
  it('states the image digest with cosign sign predicate and the annotations on the subject', () => {
    const payload = imageSignatureStatement(DIGEST, { env: 'prod' });
    const statement = parseStatement(payload);
    expect(statement.predicateType).toBe(COSIGN_SIGN_PREDICATE_TYPE);
    expect(statement.subjects[0]!.digest).toEqual({ sha256: DIGEST.slice(7) });
    expect(() => checkImageStatement(statement, DIGEST, { env: 'prod' })).not.toThrow();
    expect(JSON.parse(utf8Decode(imageSignatureStatement(DIGEST, {}))).subject[0].annotations).toBeUndefined();
  });

  it('refuses another predicate type, another image and a missing or different annotation', () => {
    const payload = imageSignatureStatement(DIGEST, { env: 'prod' });
    const statement = parseStatement(payload);
    expectCode(() => checkImageStatement({ ...statement, predicateType: 'https://slsa.dev/provenance/v1' }, DIGEST, {}), 'IMAGE_PAYLOAD_INVALID');
    expectCode(() => checkImageStatement(undefined, DIGEST, {}), 'IMAGE_PAYLOAD_INVALID');
    expectCode(() => checkImageStatement(statement, `sha256:${'1'.repeat(64)}`, {}), 'IMAGE_DIGEST_MISMATCH');
    expectCode(() => checkImageStatement(statement, DIGEST, { env: 'dev' }), 'IMAGE_ANNOTATION_MISMATCH');
    expectCode(() => checkImageStatement(statement, DIGEST, { team: 'a' }), 'IMAGE_ANNOTATION_MISMATCH');
    const bare = parseStatement(imageSignatureStatement(DIGEST, {}));
    expectCode(() => checkImageStatement(bare, DIGEST, { toString: Object.prototype.toString as unknown as string }), 'IMAGE_ANNOTATION_MISMATCH');
  });

  it('puts the bundle in an artifact manifest whose subject is the image', () => {
    const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 401 };
    const { manifest, bundle } = bundleReferrerManifest(utf8Encode('{"mediaType":"x"}'), subject, new Date('2026-11-26T01:02:03.456Z'));
    const json = JSON.parse(utf8Decode(manifest));
    expect(json.artifactType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(json.subject).toEqual(subject);
    expect(json.config).toEqual({ mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 });
    expect(json.annotations['org.opencontainers.image.created']).toBe('2026-11-26T01:02:03Z');
    expect(bundleLayerOf(json)).toEqual(bundle);
  });

  it.each([
    [{ layers: [] }],
    [{ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: DIGEST, size: 1 }] }],
    [{ layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: DIGEST, size: 1 }, { mediaType: 'x', digest: DIGEST, size: 1 }] }],
    [{ layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: 'md5:00', size: 1 }] }],
    [null],
  ])('skips a referrer that is not a bundle artifact %#', (manifest) => {
    expect(bundleLayerOf(manifest)).toBeUndefined();
  });
});
