import { parseStatement, type Bundle } from '@sigil/bundle';
import { HASH_ALGORITHMS, type HashAlgorithm } from '@sigil/crypto';
import { parseCertificate } from '@sigil/x509';

/**
 * The digests of the artifact that verifying `bundle` will ask for, so that a caller can
 * compute them all in one streaming pass over a large file. Unreadable parts of the
 * bundle are skipped here: the verifier reports them properly.
 */
export function requiredDigests(bundle: Bundle): HashAlgorithm[] {
  const needed = new Set<HashAlgorithm>();
  const content = bundle.content;
  if (content.$case === 'messageSignature') {
    // Rekor's hashedrekord entries name the artifact by its SHA-256.
    needed.add('sha256');
    if (content.messageDigest) {
      needed.add(content.messageDigest.algorithm);
      return [...needed];
    }
    const material = bundle.verificationMaterial.content;
    const der = material.$case === 'certificate' ? material.certificate : material.$case === 'x509CertificateChain' ? material.certificates[0] : undefined;
    if (der) {
      try {
        const hash = parseCertificate(der).publicKey.defaultHash;
        if (hash) needed.add(hash);
      } catch {
        // reported by the verifier
      }
    }
  } else {
    try {
      for (const subject of parseStatement(content.envelope.payload).subjects) {
        for (const algorithm of HASH_ALGORITHMS) if (subject.digest[algorithm] !== undefined) needed.add(algorithm);
      }
    } catch {
      // reported by the verifier
    }
  }
  return [...needed];
}
