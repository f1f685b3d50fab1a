import { STATEMENT_TYPE_V1 } from '@sigil/bundle';
import { utf8Encode } from '@sigil/encoding';
import { signDsse, signDsseWithKey, type KeySignOptions, type KeySignResult, type SignOptions, type SignResult } from '@sigil/sign';
import type { RegistryClient } from '../client.js';
import type { ReferrersVia } from '../operations/referrers.js';
import { parseImageReference, type ImageReference } from '../reference.js';
import { pushBundleReferrer } from './bundle-referrer.js';
import { isKeySigning, signatureStore } from './sign-image.js';

export interface AttestImageOptions {
  client: RegistryClient;
  /** Keyless signing options, or a key's (signDsseWithKey). */
  signing: SignOptions | KeySignOptions;
  /** The predicate's type URI (`https://slsa.dev/provenance/v1`, ...). */
  predicateType: string;
  /** The predicate: any JSON value. */
  predicate: unknown;
  now?: Date;
  /** As for signImage: cosign's COSIGN_REPOSITORY. */
  signatureRepository?: string | ImageReference;
  /** false: sign, push nothing (cosign's --no-upload); `location` is then absent. */
  upload?: boolean;
}

export interface AttestedImage<Signed extends SignResult | KeySignResult = SignResult> {
  image: string;
  digest: string;
  resolvedTag?: string;
  location?: { digest: string; via: ReferrersVia };
  signed: Signed;
}

/**
 * Signs an in-toto statement about an image (subject: its repository and digest) as a DSSE
 * bundle and attaches it as an OCI 1.1 referrer, as `cosign attest` does in cosign 3.
 */
export async function attestImage(image: string | ImageReference, options: AttestImageOptions & { signing: SignOptions }): Promise<AttestedImage>;
export async function attestImage(image: string | ImageReference, options: AttestImageOptions & { signing: KeySignOptions }): Promise<AttestedImage<KeySignResult>>;
export async function attestImage(image: string | ImageReference, options: AttestImageOptions): Promise<AttestedImage<SignResult | KeySignResult>> {
  const ref = typeof image === 'string' ? parseImageReference(image) : image;
  const subject = await options.client.resolveDigest(ref);
  const [algorithm, hex] = subject.digest.split(':') as [string, string];
  const statement = { _type: STATEMENT_TYPE_V1, subject: [{ name: ref.name, digest: { [algorithm]: hex } }], predicateType: options.predicateType, predicate: options.predicate };
  const payload = utf8Encode(JSON.stringify(statement));
  const signed = isKeySigning(options.signing) ? await signDsseWithKey(payload, options.signing) : await signDsse(payload, options.signing);
  const common = { image: `${ref.name}@${subject.digest}`, digest: subject.digest, ...(ref.digest ? {} : { resolvedTag: ref.tag! }), signed };
  if (options.upload === false) return common;
  const store = signatureStore(ref, options.signatureRepository);
  const pushed = await pushBundleReferrer(options.client, store, subject, signed.bundleJson, options.predicateType, options.now ?? new Date());
  return { ...common, location: { digest: pushed.digest, via: pushed.via } };
}
