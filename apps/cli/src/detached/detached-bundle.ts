import { BUNDLE_MEDIA_TYPE_V0_1, type Bundle, type KeyMaterial } from '@sigil/bundle';
import { verifyDigestSignature, type PublicKey } from '@sigil/crypto';
import { VerificationError } from '@sigil/verify';
import { parseCertificate } from '@sigil/x509';
import { derToPem } from '@sigil/encoding';
import { createRekorClient, hashedRekordProposal, toTransparencyLogEntry, type RekorClientOptions } from '@sigil/rekor/client';
import { CliError } from '../cli-error.js';

/** cosign 2's loose files: a signature and a certificate (or the caller's key) beside the artifact. */
export interface DetachedSignature {
  signature: Uint8Array;
  /** The artifact's SHA-256, as the log entry records it. */
  sha256: Uint8Array;
  /** The signing certificate (DER), leaf first when a chain is given; or else `publicKey`. */
  certificates?: Uint8Array[];
  publicKey?: PublicKey;
  /** DER RFC 3161 timestamp responses (`--rfc3161-timestamp`). */
  timestamps?: Uint8Array[];
}

/**
 * Finds the signature's Rekor entry by content, as cosign does without a bundle (a proposed
 * hashedrekord, searched for), and assembles a v0.1 bundle around it, so that the entry's
 * body, SET, inclusion proof and the certificate at the integrated time are checked by the
 * one verifier every bundle goes through. Without `rekor`, the bundle holds no log entry.
 */
export async function detachedBundle(detached: DetachedSignature, rekor: RekorClientOptions | undefined): Promise<Bundle> {
  const material: KeyMaterial = detached.certificates?.length
    ? { $case: 'x509CertificateChain', certificates: detached.certificates }
    : { $case: 'publicKey', hint: '' };
  const tlogEntries = rekor ? [await findEntry(detached, rekor)] : [];
  return {
    mediaType: BUNDLE_MEDIA_TYPE_V0_1,
    version: '0.1',
    verificationMaterial: { content: material, tlogEntries, rfc3161Timestamps: detached.timestamps ?? [] },
    content: { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: detached.sha256 }, signature: detached.signature },
  };
}

async function findEntry(detached: DetachedSignature, options: RekorClientOptions) {
  // Rekor refuses to search for an entry whose signature does not verify (HTTP 400, as it
  // would refuse to log it): say so here, in the verifier's terms, before asking.
  const key = detached.certificates?.length ? parseCertificate(detached.certificates[0]!).publicKey : detached.publicKey!;
  if (key.kind === 'ed25519') {
    throw new VerificationError('VERIFY_KEY_MATERIAL', 'signing key: expected an ECDSA or RSA key, found Ed25519: an Ed25519 signature covers the artifact itself, and its log entry cannot be looked up by the SHA-256 digest', {
      hint: 'verify a bundle (--bundle), which carries its log entry',
    });
  }
  if (!(await verifyDigestSignature(key, detached.sha256, detached.signature, { hash: 'sha256' }))) {
    throw new VerificationError('VERIFY_SIGNATURE_INVALID', 'artifact signature: does not verify over the artifact with the signing key: the artifact is not the one that was signed, or the signature or certificate belongs to another');
  }
  const verifier = detached.certificates?.length
    ? { certificatePem: derToPem(detached.certificates[0]!, 'CERTIFICATE') }
    : { publicKeyPem: derToPem(detached.publicKey!.spki, 'PUBLIC KEY') };
  const proposal = hashedRekordProposal({ digest: detached.sha256, signature: detached.signature, ...verifier });
  const found = await createRekorClient(options).searchEntries([proposal]);
  if (found.length === 0) {
    throw new CliError('CLI_TLOG_ENTRY_NOT_FOUND', `transparency log ${options.url}: no entry holds this signature over this artifact with this ${verifier.certificatePem ? 'certificate' : 'key'}`, {
      hint: 'Check the artifact, signature and certificate belong together, and --rekor-url names the log it was signed into; a bundle (--bundle) carries its entry and needs no lookup.',
    });
  }
  // The same body in several shards is the same entry: one suffices, and the verifier checks it.
  return toTransparencyLogEntry(found[0]!);
}
