import { parseCertificate } from '@sigil/x509';
import type { TimestampAuthority } from '../../src/index.js';
import { b64, type BundleJson, type TrustedRootJson } from '../../../x509/test/support/fixtures.js';

export { b64, caChains, conformanceCase, conformanceCaseNames, corpusCase, corpusCases, bundleLeaf, type BundleJson } from '../../../x509/test/support/fixtures.js';

/** The trusted root's timestamp authorities, parsed. */
export function authorities(root: TrustedRootJson): TimestampAuthority[] {
  return (root.timestampAuthorities ?? []).map((authority) => ({
    certChain: authority.certChain.certificates.map((c) => parseCertificate(b64(c.rawBytes))),
    validFor: {
      start: authority.validFor.start ? new Date(authority.validFor.start) : undefined,
      end: authority.validFor.end ? new Date(authority.validFor.end) : undefined,
    },
  }));
}

/** What was timestamped: the message signature, or the DSSE envelope's signature. */
export function timestampedData(bundle: BundleJson): Uint8Array {
  const sig = bundle.messageSignature?.signature ?? bundle.dsseEnvelope?.signatures[0]?.sig;
  if (!sig) throw new Error('bundle has no signature');
  return b64(sig);
}

export function signedTimestamps(bundle: BundleJson): Uint8Array[] {
  // rekor2-timestamp-with-incorrect-time_fail wraps its base64 at 76 columns (made with
  // `base64`); Go's decoder skips the newlines, so the bundle reaches the timestamp check.
  return (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map((t) => b64(t.signedTimestamp.replace(/\n/g, '')));
}
