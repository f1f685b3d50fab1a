// sigstore-js's offline verification, as a library user would write it (no TUF, no network).
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

export function createSigstoreJsVerifier(trustedRootJson) {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRootJson)));
  return (bundleText, artifact, identity, issuer) =>
    verifier.verify(toSignedEntity(bundleFromJSON(JSON.parse(bundleText)), artifact), {
      subjectAlternativeName: identity,
      extensions: { issuer },
    });
}
