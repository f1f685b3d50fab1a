import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64, utf8Decode, utf8Encode } from '@sigil/encoding';
import { buildTestImage } from '@sigil/registry';
import { attestImage, ImageSignatureError, signImage, signatureTag, verifyImage, type SignatureFormat } from '../src/index.js';
import { pushImage, PROJECT, REGISTRIES, startRegistry, startSigning, type RegistryUnderTest, type SigningSetup } from './image-signing-fixture.js';

// sign -> verify against the local Sigstore and two real registries (Debian's distribution
// 2.8 without the referrers API, and the in-repo registry with it), in both of cosign's
// storage formats; and every way a stored signature can be wrong.

let signing: SigningSetup;
beforeAll(async () => {
  signing = await startSigning();
}, 60_000);
afterAll(async () => signing?.close());

async function expectImageError(promise: Promise<unknown>, code: string): Promise<ImageSignatureError> {
  const err = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageSignatureError);
  expect((err as ImageSignatureError).code, (err as Error).message).toBe(code);
  return err as ImageSignatureError;
}

function failureCodes(err: ImageSignatureError): string[] {
  return (err.details?.failures as { code: string }[]).map((f) => f.code);
}

describe.each(REGISTRIES)('images in %s', (registryName) => {
  let registry: RegistryUnderTest;
  let counter = 0;
  /** A fresh repository with the test image (or another one) pushed as :v1. */
  const freshImage = (content?: string) => pushImage(registry, `team/image-${registryName}-${++counter}`, 'v1', buildTestImage(content ? { content } : {}));

  beforeAll(async () => {
    registry = await startRegistry(registryName);
  }, 30_000);
  afterAll(async () => registry?.close());

  describe.each(['bundle', 'legacy'] as SignatureFormat[])('%s format', (format) => {
    it('signs by digest (a tag is resolved) and verifies with the signer identity', async () => {
      const { ref, digest } = await freshImage();
      const signed = await signImage(ref, { client: registry.client, signing: await signing.signing(), format });
      expect(signed).toMatchObject({ digest, resolvedTag: 'v1', format });
      expect(signed.image).toBe(`${registry.host}/${ref.split('/').slice(1).join('/').split(':')[0]}@${digest}`);
      if (format === 'legacy') expect(signed.location).toEqual({ tag: signatureTag(digest) });
      else expect(signed.location).toMatchObject({ via: registryName === 'docker-registry' ? 'tag-schema' : 'referrers-api' });

      const verified = await verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() });
      expect(verified.digest).toBe(digest);
      expect(verified.signatures.map((s) => [s.format, s.result.signer?.identity])).toEqual([[format, signed.signed.identity]]);
      // By digest too, as the seed's verify job does.
      expect((await verifyImage(signed.image, { client: registry.client, verifier: signing.verifier, policy: signing.policy() })).signatures).toHaveLength(1);
    });

    it('keeps both signatures when two signers sign the same image', async () => {
      const { ref } = await freshImage();
      await signImage(ref, { client: registry.client, signing: await signing.signing(), format });
      await signImage(ref, { client: registry.client, signing: await signing.signing('other-group/deployer'), format });
      for (const project of [PROJECT, 'other-group/deployer']) {
        const verified = await verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy(project) });
        expect(verified.signatures).toHaveLength(1);
        expect(verified.failures.map((f) => f.code)).toEqual(['POLICY_IDENTITY_MISMATCH']);
      }
    });

    it('fails for a wrong identity, showing the expected and the actual signer', async () => {
      const { ref } = await freshImage();
      const signed = await signImage(ref, { client: registry.client, signing: await signing.signing(), format });
      const err = await expectImageError(verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy('someone/else') }), 'IMAGE_NO_VALID_SIGNATURE');
      expect(failureCodes(err)).toEqual(['POLICY_IDENTITY_MISMATCH']);
      expect(err.message).toContain('someone/else');
      expect(err.message).toContain(signed.signed.identity);
    });

    it('checks -a annotations against what was signed', async () => {
      const { ref } = await freshImage();
      await signImage(ref, { client: registry.client, signing: await signing.signing(), format, annotations: { env: 'prod', team: 'a&b' } });
      const verify = (annotations: Record<string, string>) => verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy(), annotations });
      expect((await verify({ env: 'prod', team: 'a&b' })).signatures[0]!.annotations).toEqual({ env: 'prod', team: 'a&b' });
      expect(failureCodes(await expectImageError(verify({ env: 'dev' }), 'IMAGE_NO_VALID_SIGNATURE'))).toEqual(['IMAGE_ANNOTATION_MISMATCH']);
      expect(failureCodes(await expectImageError(verify({ owner: 'x' }), 'IMAGE_NO_VALID_SIGNATURE'))).toEqual(['IMAGE_ANNOTATION_MISMATCH']);
    });
  });

  it('does not take an attestation for a signature, and still finds the signature beside it', async () => {
    const { ref } = await freshImage();
    await attestImage(ref, { client: registry.client, signing: await signing.signing(), predicateType: 'https://slsa.dev/provenance/v1', predicate: { builder: 'x' } });
    await expectImageError(verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() }), 'IMAGE_NO_SIGNATURES');
    await signImage(ref, { client: registry.client, signing: await signing.signing() });
    const verified = await verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() });
    expect([verified.signatures.length, verified.failures.length]).toEqual([1, 0]);
  });

  it('says "no signatures found" for an image that was never signed', async () => {
    const { ref } = await freshImage();
    const err = await expectImageError(verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() }), 'IMAGE_NO_SIGNATURES');
    expect(err.message).toContain('no signatures found');
  });

  it('refuses a .sig signature copied onto another image', async () => {
    const signedImage = await freshImage();
    const other = await pushImage(registry, `team/image-${registryName}-${counter}`, 'v2', buildTestImage({ content: 'another image\n' }));
    await signImage(signedImage.ref, { client: registry.client, signing: await signing.signing(), format: 'legacy' });
    const sig = await registry.client.getManifest(`${signedImage.ref.split(':v1')[0]}:${signatureTag(signedImage.digest)}`);
    await registry.client.putManifest(other.ref, signatureTag(other.digest), sig.bytes, sig.descriptor.mediaType);
    const err = await expectImageError(verifyImage(other.ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() }), 'IMAGE_NO_VALID_SIGNATURE');
    expect(failureCodes(err)).toEqual(['IMAGE_DIGEST_MISMATCH']);
  });

  it('refuses a bundle referrer copied onto another image', async () => {
    const signedImage = await freshImage();
    const other = await pushImage(registry, `team/image-${registryName}-${counter}`, 'v2', buildTestImage({ content: 'another image\n' }));
    const signed = await signImage(signedImage.ref, { client: registry.client, signing: await signing.signing(), format: 'bundle' });
    const location = signed.location as { digest: string };
    const referrer = await registry.client.getManifest(`${signedImage.ref.split(':v1')[0]}@${location.digest}`);
    // The same referrer, pointed at the other image (a new manifest: the subject is in it).
    const moved = JSON.parse(utf8Decode(referrer.bytes));
    const otherSubject = await registry.client.resolveDigest(other.ref);
    moved.subject = { mediaType: otherSubject.mediaType, digest: otherSubject.digest, size: otherSubject.size };
    await registry.client.pushReferrer(other.ref, utf8Encode(JSON.stringify(moved)), referrer.descriptor.mediaType, otherSubject);
    const err = await expectImageError(verifyImage(other.ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() }), 'IMAGE_NO_VALID_SIGNATURE');
    expect(failureCodes(err)).toEqual(['VERIFY_ARTIFACT_MISMATCH']);
  });

  it('refuses a tampered payload, certificate or Rekor bundle in a .sig layer', async () => {
    const { ref, digest } = await freshImage();
    await signImage(ref, { client: registry.client, signing: await signing.signing(), format: 'legacy' });
    const sigRef = `${ref.split(':v1')[0]}:${signatureTag(digest)}`;
    const original = await registry.client.getManifest(sigRef);
    const layer = (original.json.layers as { digest: string; size: number; annotations: Record<string, string> }[])[0]!;
    const payload = await registry.client.getBlob(ref, layer.digest);
    const otherCertificate = (await signImage((await freshImage()).ref, { client: registry.client, signing: await signing.signing(), format: 'legacy' })).signed.certificate;

    const tamperedPayload = utf8Encode(utf8Decode(payload).replace('"optional":null', '"optional":{"env":"prod"}'));
    const pushedPayload = await registry.client.pushBlob(ref, tamperedPayload);
    const rekorBundle = JSON.parse(layer.annotations['dev.sigstore.cosign/bundle']!);
    rekorBundle.Payload.logIndex += 1;
    const variants = [
      { ...layer, digest: pushedPayload.digest, size: pushedPayload.size },
      { ...layer, annotations: { ...layer.annotations, 'dev.sigstore.cosign/certificate': `-----BEGIN CERTIFICATE-----\n${encodeBase64(otherCertificate)}\n-----END CERTIFICATE-----\n` } },
      { ...layer, annotations: { ...layer.annotations, 'dev.sigstore.cosign/bundle': JSON.stringify(rekorBundle) } },
      { ...layer, annotations: { ...layer.annotations, 'dev.cosignproject.cosign/signature': encodeBase64(new Uint8Array(70).fill(1)) } },
    ];
    for (const variant of variants) {
      const manifest = utf8Encode(JSON.stringify({ ...original.json, layers: [variant] }));
      await registry.client.putManifest(ref, signatureTag(digest), manifest, original.descriptor.mediaType);
      const err = await expectImageError(verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() }), 'IMAGE_NO_VALID_SIGNATURE');
      expect(failureCodes(err)[0]).toMatch(/^VERIFY_/);
    }
  });

  it('refuses a tampered bundle layer', async () => {
    const { ref, digest } = await freshImage();
    const signed = await signImage(ref, { client: registry.client, signing: await signing.signing(), format: 'bundle' });
    const subject = await registry.client.resolveDigest(ref);
    const referrer = await registry.client.getManifest(`${ref.split(':v1')[0]}@${(signed.location as { digest: string }).digest}`);
    const bundleJson = signed.signed.bundleJson as { dsseEnvelope: { signatures: { sig: string }[] } };
    const tampered = structuredClone(bundleJson);
    tampered.dsseEnvelope.signatures[0]!.sig = encodeBase64(new Uint8Array(70).fill(7));
    const blob = await registry.client.pushBlob(ref, utf8Encode(JSON.stringify(tampered)));
    const manifest = JSON.parse(utf8Decode(referrer.bytes));
    manifest.layers[0] = { ...manifest.layers[0], digest: blob.digest, size: blob.size };
    manifest.annotations['org.opencontainers.image.created'] = '2026-01-01T00:00:00Z';
    await registry.client.pushReferrer(ref, utf8Encode(JSON.stringify(manifest)), referrer.descriptor.mediaType, subject);
    const verified = await verifyImage(ref, { client: registry.client, verifier: signing.verifier, policy: signing.policy() });
    // The good signature still verifies; the tampered one is reported, not trusted.
    expect(verified.signatures).toHaveLength(1);
    expect(verified.failures.map((f) => f.code)).toEqual(['VERIFY_SIGNATURE_INVALID']);
    expect(verified.digest).toBe(digest);
  });
});
