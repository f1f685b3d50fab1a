// Sigstore bundles, parsed and verified against the embedded public-good roots (production
// and staging). Besides typed errors only, the property: whatever verifies carries exactly
// the signed parts (key material, signature, signed content) of a seed that verified. A
// mutant cannot make a new valid signature, so any other accept is a false "verified".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, parseStatement, type Bundle } from '@sigil/bundle';
import { hash, type HashAlgorithm } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { publicGoodTrustMaterial } from '@sigil/trust';
import { artifactFromDigests, certificateIdentity, Verifier, type Artifact, type VerificationPolicy } from '@sigil/verify';
import { typedOnly, typedOnlyAsync, violated } from '../typed-only.js';

const verifiers = [new Verifier(publicGoodTrustMaterial('production')), new Verifier(publicGoodTrustMaterial('staging'))];
// Any signer: the identity policy is not what is fuzzed here; the signature, logs, times and chain are.
const anySigner: VerificationPolicy = { identities: [certificateIdentity({ identityRegexp: '^.*$', issuerRegexp: '^.*$' })] };

export async function fuzz(data: Buffer): Promise<void> {
  const bundle = typedOnly(() => parseBundle(new Uint8Array(data)));
  if (!bundle) return;
  for (const verifier of verifiers) {
    const result = await typedOnlyAsync(() => verifier.verify(bundle, claimedArtifact(bundle), anySigner));
    if (result && !(await knownGood()).has(signedParts(bundle))) violated('a bundle verified whose signed parts no seed has');
  }
}

/** The artifact the bundle says it signs: its message digest, or its statement's first subject. */
export function claimedArtifact(bundle: Bundle): Artifact {
  const digests = new Map<HashAlgorithm, Uint8Array>();
  const content = bundle.content;
  if (content.$case === 'messageSignature') {
    if (content.messageDigest) digests.set(content.messageDigest.algorithm, content.messageDigest.digest);
  } else {
    const subject = typedOnly(() => parseStatement(content.envelope.payload))?.subjects[0];
    for (const [algorithm, hex] of Object.entries(subject?.digest ?? {})) {
      if (['sha256', 'sha384', 'sha512'].includes(algorithm) && /^([0-9a-f]{2})+$/.test(hex)) digests.set(algorithm as HashAlgorithm, Buffer.from(hex, 'hex'));
    }
  }
  return artifactFromDigests(digests);
}

/** What a signature binds: key material, signature bytes and the signed content, hashed. */
export function signedParts(bundle: Bundle): string {
  const material = bundle.verificationMaterial.content;
  const key = material.$case === 'certificate' ? material.certificate : material.$case === 'x509CertificateChain' ? material.certificates[0] ?? new Uint8Array() : Buffer.from(material.hint);
  const content = bundle.content;
  const parts =
    content.$case === 'messageSignature'
      ? [content.signature, content.messageDigest?.digest ?? new Uint8Array()]
      : [Buffer.from(content.envelope.payloadType), content.envelope.payload, ...content.envelope.signatures.map((s) => s.sig)];
  return [key, ...parts].map((part) => encodeHex(hash('sha256', part))).join('/');
}

let seeds: Promise<Set<string>> | undefined;

/**
 * The signed parts of every seed bundle that verifies: the only ones a mutant may verify
 * with. The seeds sit beside the built target (.build/ -> corpus/), or in `dir`.
 */
export function knownGood(dir = join(__dirname, '../corpus/bundle-verify')): Promise<Set<string>> {
  seeds ??= (async () => {
    const good = new Set<string>();
    for (const name of readdirSync(dir)) {
      const bundle = typedOnly(() => parseBundle(readFileSync(join(dir, name))));
      if (!bundle) continue;
      for (const verifier of verifiers) {
        if (await typedOnlyAsync(() => verifier.verify(bundle, claimedArtifact(bundle), anySigner))) good.add(signedParts(bundle));
      }
    }
    return good;
  })();
  return seeds;
}
