import type { BundleContent, TransparencyLogEntry } from '@sigil/bundle';
import { keyDetailsOf } from '@sigil/crypto';
import { createFulcioClient } from '@sigil/fulcio';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { preflight, type PreflightResult } from '@sigil/oidc';
import type { RawVerifier } from '@sigil/rekor';
import { certificateIdentity, type Artifact } from '@sigil/verify';
import type { Certificate } from '@sigil/x509';
import { obtainCertificate } from './certificate.js';
import { SignError } from './errors.js';
import type { SignOptions, SignResult } from './sign-blob.js';
import { sealBundle } from './seal-bundle.js';
import { logServices, timestampAuthorities } from './transparency-logs.js';
import { rekorV2WithoutTimestamp } from './untimed-log.js';

/** The steps every keyless signing shares, before and after what it signs and logs. */

export function checkOptions(options: SignOptions): void {
  if (typeof options?.fulcioURL !== 'string' || options.fulcioURL === '') throw new SignError('SIGN_OPTIONS_INVALID', 'sign options: expected fulcioURL, found none');
  if (!options.trust) throw new SignError('SIGN_OPTIONS_INVALID', 'sign options: expected the trust material the results must chain to, found none');
  const v2 = rekorV2WithoutTimestamp(logServices(options), timestampAuthorities(options).length);
  if (v2) {
    throw new SignError('SIGN_OPTIONS_INVALID', `sign options: Rekor v2 log ${v2.url} records no signed time, so its bundles need an RFC 3161 timestamp; expected a timestamp authority, found none`, {
      hint: 'name one (--timestamp-server-url, or tsaUrls in the signing config)',
    });
  }
}

/** The certificate as Rekor v2 requests name it. */
export function rawVerifierOf(certified: Certified): RawVerifier {
  return { type: 'certificate', der: certified.leaf.der, keyDetails: keyDetailsOf(certified.leaf.publicKey) };
}

export interface Certified {
  identity: PreflightResult;
  signer: Signer;
  leaf: Certificate;
  /** The CA certificates Fulcio sent above the leaf. */
  chain: Uint8Array[];
}

/** Token checked before Fulcio is called, a fresh key, and a certificate checked before use. */
export async function certify(options: SignOptions): Promise<Certified> {
  const identity = preflight(options.identityToken, { knownIssuers: options.knownIssuers });
  options.onStep?.('token-checked');
  const signer = await generateEphemeralSigner();
  const fulcio = createFulcioClient({ url: options.fulcioURL, ...options.http });
  const { leaf, chain } = await obtainCertificate(fulcio, options.identityToken, signer, identity, options.trust);
  options.onStep?.('certificate-issued');
  return { identity, signer, leaf, chain };
}

export interface Signed {
  certified: Certified;
  content: BundleContent;
  signature: Uint8Array;
  /** One per log written to. */
  entries: TransparencyLogEntry[];
  /** What the self-check verifies the bundle over. */
  artifact: Artifact;
}

/**
 * Timestamps the signature with each TSA named, assembles the v0.3 bundle and verifies it
 * offline for the token's identity: a bundle that does not verify is never handed out.
 */
export async function finishBundle({ certified, content, signature, entries, artifact }: Signed, options: SignOptions): Promise<SignResult> {
  const { identity, leaf } = certified;
  const sealed = await sealBundle(
    { keyMaterial: { $case: 'certificate', certificate: leaf.der }, content, signature, entries, artifact, policy: { identities: [certificateIdentity({ identity: identity.identity, issuer: identity.issuer })] } },
    options,
  );
  return { ...sealed, identity: identity.identity, issuer: identity.issuer, certificate: leaf.der, chain: certified.chain, signature };
}
