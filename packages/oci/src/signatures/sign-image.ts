import { signBlob, signBlobWithKey, signDsse, signDsseWithKey, type KeySignOptions, type KeySignResult, type SignOptions, type SignResult } from '@sigil/sign';
import type { RegistryClient } from '../client.js';
import type { Descriptor } from '../descriptor.js';
import { OciError } from '../errors.js';
import { OCI_MANIFEST } from '../media-types.js';
import { parseImageReference, referenceTo, type ImageReference } from '../reference.js';
import type { ReferrersVia } from '../operations/referrers.js';
import { pushBundleReferrer } from './bundle-referrer.js';
import { imageSignatureStatement, COSIGN_SIGN_PREDICATE_TYPE } from './cosign-statement.js';
import { legacyLayerAnnotations } from './legacy-layer.js';
import { appendSignatureLayer, rawLayersOf, SIGNATURE_MANIFEST_TYPES, signatureLayer, signatureTag } from './sig-manifest.js';
import { simpleSigningPayload } from './simple-signing.js';

/** cosign 3's default (a bundle as an OCI 1.1 referrer), or cosign 2's `.sig` tag. */
export type SignatureFormat = 'bundle' | 'legacy';

export interface SignImageOptions {
  client: RegistryClient;
  /** The keyless signing services, token and trust material, as for signBlob; or a key's (signDsseWithKey, signBlobWithKey for the .sig tag). */
  signing: SignOptions | KeySignOptions;
  format?: SignatureFormat;
  /** cosign's `-a KEY=VALUE`: signed along with the digest. */
  annotations?: Record<string, string>;
  /** The referrer's creation time; now by default. */
  now?: Date;
  /** Where signatures are stored instead of beside the image (cosign's COSIGN_REPOSITORY). */
  signatureRepository?: string | ImageReference;
  /** false: sign, but push nothing (cosign's --upload=false); `location` is then absent. */
  upload?: boolean;
}

export interface SignedImage<Signed extends SignResult | KeySignResult = SignResult> {
  /** The image that was signed: `registry/repository@sha256:...`. */
  image: string;
  digest: string;
  /** The tag the reference named, when it was resolved to the digest (cosign warns: sign digests). */
  resolvedTag?: string;
  format: SignatureFormat;
  /** Where the signature went: the `.sig` tag, or the referrer's digest and how it is found. */
  location?: { tag: string } | { digest: string; via: ReferrersVia };
  signed: Signed;
}

/**
 * Signs an image by digest, keylessly, and stores the signature in the image's repository
 * the way cosign does: a Sigstore bundle over an in-toto statement as an OCI 1.1 referrer
 * (cosign 3), or a simple-signing payload appended to the `sha256-<hex>.sig` tag (cosign 2),
 * keylessly or with a key.
 */
export async function signImage(image: string | ImageReference, options: SignImageOptions & { signing: SignOptions }): Promise<SignedImage>;
export async function signImage(image: string | ImageReference, options: SignImageOptions & { signing: KeySignOptions }): Promise<SignedImage<KeySignResult>>;
export async function signImage(image: string | ImageReference, options: SignImageOptions): Promise<SignedImage<SignResult | KeySignResult>> {
  const ref = typeof image === 'string' ? parseImageReference(image) : image;
  const format = options.format ?? 'bundle';
  if (format !== 'bundle' && format !== 'legacy') throw new OciError('OCI_INPUT_INVALID', `signature format: expected bundle or legacy, found ${String(format)}`);
  if (format === 'legacy' && isKeySigning(options.signing) && options.signing.tlogUpload === false) {
    throw new OciError('OCI_INPUT_INVALID', "signature format: cosign 2's .sig tag holds a key's signature with its log entry, and --tlog-upload=false leaves none (the layer has no place for the timestamp that would replace it)", {
      hint: 'keep the log entry, or drop --new-bundle-format=false / --legacy-format: the bundle format holds the timestamp',
    });
  }
  const annotations = options.annotations ?? {};
  const subject = await options.client.resolveDigest(ref);
  const common = { image: `${ref.name}@${subject.digest}`, digest: subject.digest, format, ...(ref.digest ? {} : { resolvedTag: ref.tag! }) };
  const store = signatureStore(ref, options.signatureRepository);
  if (format === 'bundle') return { ...common, ...(await storeBundle(store, subject, annotations, options)) };
  return { ...common, ...(await storeLegacy(ref, store, subject, annotations, options)) };
}

/** The repository signatures live in: the image's own, or the one COSIGN_REPOSITORY names (any tag or digest in it ignored). */
export function signatureStore(ref: ImageReference, repository: string | ImageReference | undefined): ImageReference {
  if (repository === undefined) return ref;
  const target = typeof repository === 'string' ? parseImageReference(repository) : repository;
  return referenceTo(target, { tag: 'latest' });
}

async function storeBundle(store: ImageReference, subject: Descriptor, annotations: Record<string, string>, options: SignImageOptions) {
  const statement = imageSignatureStatement(subject.digest, annotations);
  const signed = isKeySigning(options.signing) ? await signDsseWithKey(statement, options.signing) : await signDsse(statement, options.signing);
  if (options.upload === false) return { signed };
  const pushed = await pushBundleReferrer(options.client, store, subject, signed.bundleJson, COSIGN_SIGN_PREDICATE_TYPE, options.now ?? new Date());
  return { location: { digest: pushed.digest, via: pushed.via }, signed };
}

async function storeLegacy(ref: ImageReference, store: ImageReference, subject: Descriptor, annotations: Record<string, string>, options: SignImageOptions) {
  const payload = simpleSigningPayload({ dockerReference: ref.name, manifestDigest: subject.digest, annotations });
  // With a key, cosign 2's layout: the signature and the hashedrekord entry naming the key.
  const signed = isKeySigning(options.signing) ? await signBlobWithKey({ kind: 'bytes', bytes: payload }, options.signing) : await signBlob({ kind: 'bytes', bytes: payload }, options.signing);
  if (options.upload === false) return { signed };
  const layer = signatureLayer(payload, legacyLayerAnnotations(signed.bundle, 'chain' in signed ? signed.chain : []));
  const tag = signatureTag(subject.digest);
  // Read, append, write back: cosign's own (racy) way; signatures already there are kept.
  const existing = await existingSignatureLayers(options.client, referenceTo(store, { tag }));
  const { manifest, config } = appendSignatureLayer(existing, layer.descriptor);
  await options.client.pushBlob(store, payload);
  await options.client.pushBlob(store, config);
  await options.client.putManifest(store, tag, manifest, OCI_MANIFEST);
  return { location: { tag }, signed };
}

async function existingSignatureLayers(client: RegistryClient, sigRef: ImageReference): Promise<unknown[]> {
  try {
    return rawLayersOf((await client.getManifest(sigRef, SIGNATURE_MANIFEST_TYPES)).json);
  } catch (err) {
    if (err instanceof OciError && err.code === 'OCI_NOT_FOUND') return [];
    throw err;
  }
}

/** Whether the options sign with a key (signDsseWithKey) rather than keylessly. */
export function isKeySigning(signing: SignOptions | KeySignOptions): signing is KeySignOptions {
  return 'signer' in signing && signing.signer !== undefined;
}
