import type { Bundle } from '@sigil/bundle';
import type { PublicKey } from '@sigil/crypto';
import { describeError } from '@sigil/errors';
import { parseCertificate, type Certificate } from '@sigil/x509';
import { VerificationError } from './errors.js';
import type { VerificationPolicy } from './policy.js';

/** The key that signed: from the bundle's certificate (keyless), or the caller's key. */
export type SigningKeyMaterial =
  | { kind: 'certificate'; certificate: Certificate; der: Uint8Array; publicKey: PublicKey }
  | { kind: 'key'; der: Uint8Array; publicKey: PublicKey };

export function signingKeyOf(bundle: Bundle, policy: VerificationPolicy): SigningKeyMaterial {
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'publicKey') {
    if (!policy.publicKey) {
      throw new VerificationError('VERIFY_KEY_REQUIRED', 'key material: the bundle was signed with a key of its own (no certificate), and no public key was given to check it with', {
        hint: 'pass the signer\'s public key with --key',
      });
    }
    return { kind: 'key', der: policy.publicKey.spki, publicKey: policy.publicKey };
  }
  const der = material.$case === 'certificate' ? material.certificate : material.certificates[0];
  if (!der) {
    throw new VerificationError('VERIFY_KEY_MATERIAL', 'key material: expected a signing certificate, found an empty certificate chain');
  }
  if (policy.publicKey) {
    throw new VerificationError('VERIFY_KEY_MISMATCH', 'key material: a public key was given, but the bundle was signed with a Fulcio certificate', {
      hint: 'verify keyless bundles with --certificate-identity and --certificate-oidc-issuer instead of --key',
    });
  }
  const certificate = parseOrFail(der, 'signing certificate');
  // The rest of a v0.1/v0.2 chain is never trusted, but it must at least be certificates.
  if (material.$case === 'x509CertificateChain') {
    material.certificates.slice(1).forEach((extra, i) => parseOrFail(extra, `certificate chain entry ${i + 1}`));
  }
  return { kind: 'certificate', certificate, der, publicKey: certificate.publicKey };
}

function parseOrFail(der: Uint8Array, what: string): Certificate {
  try {
    return parseCertificate(der);
  } catch (err) {
    throw new VerificationError('VERIFY_KEY_MATERIAL', `${what}: ${describeError(err)}`, { cause: err });
  }
}
