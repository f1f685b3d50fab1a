// What each published package promises: the runtime exports its README documents (checked
// by importing the installed tarball with plain node) and its main types (checked by tsc
// in a scratch project under NodeNext resolution).
export interface PublishedApi {
  values: string[];
  types: string[];
}

export const PUBLISHED_API: Record<string, PublishedApi> = {
  errors: {
    values: ['SigilError', 'isSigilError', 'describeError'],
    types: ['SigilError', 'SigilErrorOptions'],
  },
  encoding: {
    values: [
      'EncodingError', 'decodeBase64', 'encodeBase64', 'encodeBase64Url', 'decodeHex', 'encodeHex', 'decodePemBlocks',
      'pemToDer', 'derToPem', 'utf8Encode', 'utf8Decode', 'parseJson', 'canonicalJson', 'bytesEqual', 'concatBytes',
      'checkJsonShape', 'MAX_JSON_DEPTH', 'MAX_JSON_CONTAINERS', 'MAX_JSON_VALUES', 'JSON_DOCUMENT_LIMITS',
      'MAX_OCI_INDEX_DESCRIPTORS', 'jsonShapeRefusal',
    ],
    types: ['EncodingError', 'EncodingErrorCode', 'PemBlock', 'JsonShapeLimits', 'JsonDocumentKind'],
  },
  crypto: {
    values: [
      'CryptoError', 'hash', 'sha256', 'hashStream', 'MultiHasher', 'HASH_ALGORITHMS', 'HASH_SIZE', 'importPublicKey',
      'importPublicKeyPem', 'fromKeyObject', 'keyDetailsOf', 'verifySignature', 'verifyDigestSignature', 'ecPublicKeyPoint', 'timingSafeEqual',
    ],
    types: ['CryptoErrorCode', 'HashAlgorithm', 'PublicKey', 'Curve', 'SignatureOptions'],
  },
  sign: {
    values: ['SignError', 'signBlob', 'requestTimestamp'],
    types: ['SignErrorCode', 'SignOptions', 'SignResult', 'SignStep', 'SignableArtifact'],
  },
  keys: {
    values: ['KeysError', 'generateEphemeralSigner', 'proofOfPossession', 'publicKeyPem', 'SIGNING_ALGORITHMS'],
    types: ['KeysErrorCode', 'Signer', 'SigningAlgorithm', 'AlgorithmParameters', 'EphemeralSignerOptions'],
  },
  x509: {
    values: [
      'X509Error', 'parseCertificate', 'verifyCertificatePath', 'verifyCertificateSignature', 'verifyEmbeddedScts',
      'certificateIdentity', 'fulcioExtensions', 'findFulcioExtension', 'FULCIO_EXTENSIONS',
    ],
    types: ['X509ErrorCode', 'Certificate', 'CertificateIdentity', 'PathOptions', 'CtLog', 'SctVerification', 'FulcioExtensionName'],
  },
  merkle: {
    values: [
      'MerkleError', 'leafHash', 'nodeHash', 'verifyInclusionProof', 'rootFromInclusionProof', 'verifyConsistencyProof',
      'MerkleTree', 'MemoryHashStore', 'parseCheckpoint', 'verifyCheckpoint', 'checkpointKeyId', 'signCheckpoint',
    ],
    types: ['MerkleErrorCode', 'InclusionProofInput', 'HashStore', 'Checkpoint', 'CheckpointKey', 'NoteSigner'],
  },
  oidc: {
    values: [
      'OidcError', 'preflight', 'decodeToken', 'MAX_TOKEN_LENGTH', 'issuerTypeOf', 'GITHUB_ACTIONS_ISSUER', 'GITLAB_ID_TOKENS_BLOCK',
      'staticTokenSource', 'flagTokenSource', 'envTokenSource', 'fileTokenSource', 'githubActionsTokenSource', 'chainTokenSources',
      'defaultTokenSource', 'SIGSTORE_ID_TOKEN',
    ],
    types: [
      'OidcErrorCode', 'PreflightOptions', 'PreflightResult', 'DecodedToken', 'IssuerType', 'Claims', 'TokenSource', 'Environment',
      'DefaultTokenSourceOptions', 'GitHubActionsOptions',
    ],
  },
  'http-client': {
    values: ['HttpClientError', 'requestJson', 'requestBytes', 'JsonCursor', 'serviceBaseUrl', 'DEFAULTS'],
    types: ['HttpClientErrorCode', 'HttpResponse', 'HttpOptions', 'RequestOptions', 'BytesRequestOptions', 'JsonRequestOptions', 'JsonLimitsOption', 'FetchFunction', 'InvalidField'],
  },
  fulcio: {
    values: ['FulcioError', 'createFulcioClient', 'createCertificationRequest'],
    types: [
      'FulcioErrorCode', 'FulcioClient', 'FulcioClientOptions', 'SigningCertificate', 'SigningCertificateRequest', 'CsrSigningCertificateRequest',
      'FulcioConfiguration', 'FulcioIssuer', 'CertificationRequestOptions', 'CertificationRequestResult',
    ],
  },
  bundle: {
    values: [
      'BundleError', 'parseBundle', 'serializeBundle', 'preAuthEncoding', 'parseEnvelope', 'serializeEnvelope', 'parseStatement',
      'parseTrustedRoot', 'serializeTrustedRoot', 'parseSigningConfig', 'serializeSigningConfig', 'parseClientTrustConfig',
      'serializeClientTrustConfig',
    ],
    types: ['BundleErrorCode', 'Bundle', 'Envelope', 'TransparencyLogEntry', 'Statement', 'TrustedRoot', 'SigningConfig'],
  },
  rekor: {
    values: [
      'RekorError', 'parseEntryBody', 'hashedRekordV001Body', 'dsseV001Body', 'entryUuid', 'signedEntryTimestampPayload',
      'verifySignedEntryTimestamp',
    ],
    types: ['RekorErrorCode', 'LoggedEntry', 'EntryKind', 'SignedEntryTimestampFields', 'HashedRekordV001Fields'],
  },
  tsa: {
    values: ['TsaError', 'parseTimestampToken', 'verifyTimestampToken'],
    types: ['TsaErrorCode', 'TimestampToken', 'TimestampAuthority', 'VerifiedTimestamp'],
  },
  trust: {
    values: ['TrustError', 'TrustMaterial', 'publicGoodTrustMaterial', 'loadTrustMaterialFile', 'isWithin'],
    types: ['TrustErrorCode', 'TrustMaterial', 'LogAuthority', 'CertificateAuthorityTrust', 'PublicGoodInstance', 'ValidityWindow'],
  },
  tuf: {
    values: [
      'TufError', 'PRODUCTION_MIRROR', 'STAGING_MIRROR', 'TARGETS', 'embeddedAnchor', 'normalizeMirror', 'mirrorDirName', 'tufCacheRoot', 'selectedMirror',
      'recordMirror', 'mirrorCacheDir', 'refreshTuf', 'readCachedTrust', 'describeAge', 'trustedRootChanges',
    ],
    types: ['TufErrorCode', 'TargetName', 'MirrorChoice', 'RefreshOptions', 'RefreshResult', 'CachedTrust', 'RoleVersions', 'ExpiredRole', 'TrustChange', 'TrustKind'],
  },
  verify: {
    values: [
      'Verifier', 'createVerifier', 'certificateIdentity', 'artifactFromBytes', 'artifactFromDigests', 'artifactFromStream', 'parseDigestArgument',
      'requiredDigests', 'VerificationError', 'PolicyError',
    ],
    types: [
      'VerificationErrorCode', 'PolicyErrorCode', 'VerifierOptions', 'VerificationPolicy', 'IdentityOptions', 'Artifact',
      'VerificationResult', 'SignerIdentity',
    ],
  },
  oci: {
    values: [
      'OciError', 'parseImageReference', 'referenceTo', 'parseAuthChallenges', 'createCredentialResolver', 'resolveCredentials',
      'createRegistryClient', 'CLIENT_DEFAULTS', 'referrersTag', 'parseDescriptor', 'digestOf', 'OCI_MANIFEST', 'OCI_INDEX',
      'OCI_EMPTY', 'DOCKER_MANIFEST', 'DOCKER_MANIFEST_LIST', 'MANIFEST_MEDIA_TYPES', 'ImageSignatureError', 'signImage',
      'verifyImage', 'attestImage', 'verifyImageAttestations', 'simpleSigningPayload', 'parseSimpleSigningPayload',
      'signatureTag', 'COSIGN_SIGN_PREDICATE_TYPE', 'SIMPLE_SIGNING_TYPE',
    ],
    types: [
      'OciErrorCode', 'ImageReference', 'AuthChallenge', 'CredentialResolver', 'RegistryCredentials', 'ResolvedCredentials',
      'CredentialOptions', 'RegistryClient', 'RegistryClientOptions', 'Manifest', 'Descriptor', 'Referrers',
      'ImageSignatureErrorCode', 'SignImageOptions', 'SignedImage', 'VerifyImageOptions', 'ImageVerification',
      'VerifiedImageSignature', 'AttestImageOptions', 'VerifyAttestationsOptions',
    ],
  },
  provenance: {
    values: [
      'ProvenanceError', 'gitlabProvenance', 'subjectsFromFiles', 'readProvenance', 'checkProvenance', 'npmPackageSubject',
      'parseNpmAttestations', 'readPackageJsonFromTarball', 'tarballIntegrity', 'verifyNpmProvenance', 'verifyNpmRegistrySignature',
      'SLSA_PROVENANCE_V1', 'SLSA_PROVENANCE_V0_2', 'GITLAB_BUILD_TYPE',
    ],
    types: [
      'ProvenanceErrorCode', 'Provenance', 'GitlabProvenanceOptions', 'ProvenanceStatement', 'ProvenancePolicy', 'NpmAttestation',
      'VerifyNpmProvenanceOptions', 'NpmProvenanceResult', 'VerifyNpmRegistrySignatureOptions',
    ],
  },
};

// Beyond the type imports: calls across packages, so that a type that does not line up
// between two installed packages (say TrustMaterial from @sigil/trust in Verifier, or
// PublicKey from @sigil/crypto in a keys Signer) is caught.
export const TYPE_USAGE = `
import { publicGoodTrustMaterial } from '@sigil/trust';
import { Verifier, artifactFromBytes, certificateIdentity, type VerificationResult } from '@sigil/verify';

export async function signerOf(bundleJson: string, artifact: Uint8Array): Promise<string | undefined> {
  const result: VerificationResult = await new Verifier(publicGoodTrustMaterial('production')).verify(bundleJson, artifactFromBytes(artifact), {
    identities: [certificateIdentity({ identity: 'someone@example.com', issuer: 'https://accounts.google.com' })],
  });
  return result.signer?.identity;
}

import { verifySignature, type PublicKey } from '@sigil/crypto';
import { generateEphemeralSigner, proofOfPossession, type Signer } from '@sigil/keys';
import { defaultTokenSource, preflight, type PreflightResult } from '@sigil/oidc';

export async function possession(): Promise<{ token: PreflightResult; signer: Signer; key: PublicKey; verified: boolean }> {
  const token = preflight(await defaultTokenSource({ env: process.env }).getToken(), { knownIssuers: ['https://gitlab.com'] });
  const signer = generateEphemeralSigner();
  const pop = await proofOfPossession(signer, token.challenge);
  return { token, signer, key: signer.publicKey, verified: verifySignature(signer.publicKey, new TextEncoder().encode(token.challenge), pop) };
}

import { createFulcioClient, type SigningCertificate } from '@sigil/fulcio';
import type { HttpOptions } from '@sigil/http-client';

export async function certify(token: PreflightResult, raw: string, http: HttpOptions): Promise<SigningCertificate> {
  const fulcio = createFulcioClient({ url: 'https://fulcio.sigstore.dev', ...http });
  return fulcio.signingCertificate({ token: raw, signer: generateEphemeralSigner(), challenge: token.challenge });
}

import type { TransparencyLogEntry } from '@sigil/bundle';
import { createRekorClient, hashedRekordProposal, toTransparencyLogEntry } from '@sigil/rekor/client';

export async function logged(digest: Uint8Array, signature: Uint8Array, certificatePem: string, http: HttpOptions): Promise<TransparencyLogEntry> {
  const rekor = createRekorClient({ url: 'https://rekor.sigstore.dev', ...http });
  return toTransparencyLogEntry(await rekor.createEntry(hashedRekordProposal({ digest, signature, certificatePem })));
}
`;

// Files the README examples may read from their working directory, copied from the fixtures:
// a wheel signed on GitHub Actions and its Sigstore bundle, a DSSE bundle with an RFC 3161
// timestamp, and the public-good trusted root.
export const EXAMPLE_FILES: Record<string, string> = {
  'rfc8785-0.1.2-py3-none-any.whl': 'test-infra/fixtures/corpus/py-v02-prod-gha-wheel/artifact',
  'rfc8785-0.1.2-py3-none-any.whl.sigstore.json': 'test-infra/fixtures/corpus/py-v02-prod-gha-wheel/bundle.json',
  'timestamped.sigstore.json': 'test-infra/fixtures/corpus/java-rekor2-prod-dsse/bundle.json',
  'trusted_root.json': 'test-infra/fixtures/corpus/trusted-roots/prod.json',
};
