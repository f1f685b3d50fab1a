import {
  BUNDLE_MEDIA_TYPE_V0_3,
  preAuthEncoding,
  serializeBundle,
  serializeEnvelope,
  serializeTrustedRoot,
  type Bundle,
  type BundleContent,
  type Envelope,
  type TrustedRoot,
} from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { bytesEqual, derToPem, typeOf, utf8Encode } from '@sigil/encoding';
import { dsseV001Body, hashedRekordV001Body } from '@sigil/rekor';
import { createCertificateAuthority, type CertificateAuthority, type CertificateAuthorityOptions } from './certificate-authority.js';
import { checkBytes, checkDate, checkString, invalid, wholeSeconds } from './checks.js';
import { createCtLog, type CtLog } from './ct-log.js';
import { gitlabClaimsToFulcio, type FulcioIdentity, type GitlabClaims, type GitlabMappingOptions } from './gitlab.js';
import { generateSigningKey, signSha256Digest, type SigningKey } from './keys.js';
import { toBundleEntry } from './log-entry-forms.js';
import { createTransparencyLog, type TransparencyLog } from './transparency-log.js';
import { buildTrustedRoot } from './trusted-root.js';

export interface VirtualSigstoreOptions {
  /** Start of the CA certificates and of every validFor in the trusted root; default a year ago. */
  validFrom?: Date;
  /** Default `rekor.local`. */
  rekorHost?: string;
  treeId?: bigint;
  /** Default `https://fulcio.local`. */
  fulcioUrl?: string;
  /** Default `https://ctfe.local`. */
  ctfeUrl?: string;
  /** Names and validity of the CA (its rootValidity defaults to start at validFrom). */
  ca?: CertificateAuthorityOptions;
  /** How GitLab claims map to extensions (see gitlabClaimsToFulcio). */
  gitlab?: GitlabMappingOptions;
}

/** Who signs: what Fulcio would certify, or GitLab ID-token claims to map the way Fulcio does. */
export type SigningIdentity = (Omit<FulcioIdentity, 'extensions'> & { extensions?: FulcioIdentity['extensions'] }) | { gitlab: GitlabClaims };

export interface SignBlobRequest {
  /** The artifact; or give only its digest. */
  artifact?: Uint8Array;
  digest?: { sha256: Uint8Array };
  identity: SigningIdentity;
  /** Certificate notBefore, SCT time and integrated time; default now. */
  time?: Date;
}

export interface SignDsseRequest {
  /** An in-toto statement (or any JSON value), serialized as the envelope payload. */
  statement: unknown;
  /** Default `application/vnd.in-toto+json`. */
  payloadType?: string;
  identity: SigningIdentity;
  time?: Date;
}

/** Fulcio, its CT log and Rekor in one process, and the trusted root that names them. */
export interface VirtualSigstore {
  readonly ca: CertificateAuthority;
  readonly ctLog: CtLog;
  readonly rekor: TransparencyLog;
  readonly fulcioUrl: string;
  readonly trustedRoot: TrustedRoot;
  /** trusted_root.json as a JSON object. */
  readonly trustedRootJson: Record<string, unknown>;
  /** A v0.3 bundle (JSON object): message signature, Fulcio leaf, hashedrekord 0.0.1 entry. */
  signBlob(request: SignBlobRequest): Record<string, unknown>;
  /** A v0.3 bundle (JSON object): DSSE envelope, Fulcio leaf, dsse 0.0.1 entry. */
  signDsse(request: SignDsseRequest): Record<string, unknown>;
}

const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const YEAR_MS = 365 * 24 * 3600 * 1000;

export function createVirtualSigstore(options: VirtualSigstoreOptions = {}): VirtualSigstore {
  const validFrom = wholeSeconds(checkDate(options.validFrom ?? new Date(Date.now() - YEAR_MS), 'validFrom'));
  const fulcioUrl = checkString(options.fulcioUrl ?? 'https://fulcio.local', 'fulcioUrl');
  const ca = createCertificateAuthority({
    ...options.ca,
    rootValidity: { notBefore: validFrom, notAfter: new Date(validFrom.getTime() + 10 * YEAR_MS), ...options.ca?.rootValidity },
  });
  const ctLog = createCtLog({ baseUrl: options.ctfeUrl ?? 'https://ctfe.local' });
  const rekor = createTransparencyLog({ host: options.rekorHost ?? 'rekor.local', ...(options.treeId === undefined ? {} : { treeId: options.treeId }) });
  const trustedRoot = buildTrustedRoot({
    ca,
    caUrl: fulcioUrl,
    tlogs: [{ baseUrl: rekor.baseUrl, spki: rekor.key.spki, logId: rekor.logId }],
    ctlogs: [{ baseUrl: ctLog.baseUrl, spki: ctLog.key.spki, logId: ctLog.logId }],
    validFrom,
  });

  // Fulcio's part: an ephemeral key certified for the identity at `time`, SCT embedded.
  const certify = (identity: SigningIdentity, time: Date): { key: SigningKey; certificate: Uint8Array } => {
    const { san, issuer, extensions } = resolveIdentity(identity, options.gitlab);
    const key = generateSigningKey('P-256');
    const certificate = ca.issueLeaf({ publicKey: key.spki, san, issuer, extensions, notBefore: time, ctLogs: [ctLog] });
    return { key, certificate };
  };

  const bundle = (certificate: Uint8Array, body: Uint8Array, time: Date, content: BundleContent): Record<string, unknown> => {
    const entry = rekor.add(body, time);
    const value: Bundle = {
      mediaType: BUNDLE_MEDIA_TYPE_V0_3,
      version: '0.3',
      verificationMaterial: { content: { $case: 'certificate', certificate }, tlogEntries: [toBundleEntry(entry)], rfc3161Timestamps: [] },
      content,
    };
    return serializeBundle(value);
  };

  return {
    ca,
    ctLog,
    rekor,
    fulcioUrl,
    trustedRoot,
    trustedRootJson: serializeTrustedRoot(trustedRoot),

    signBlob(request) {
      if (typeof request !== 'object' || request === null) invalid(`signBlob: expected a request object, found ${typeOf(request)}`);
      const digest = artifactDigest(request);
      const time = signingTime(request.time);
      const { key, certificate } = certify(request.identity, time);
      const signature = request.artifact ? key.sign(request.artifact) : signSha256Digest(key, digest);
      const body = hashedRekordV001Body({ digest, algorithm: 'sha256', signature, verifierPem: derToPem(certificate, 'CERTIFICATE') });
      return bundle(certificate, body, time, { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest }, signature });
    },

    signDsse(request) {
      if (typeof request !== 'object' || request === null) invalid(`signDsse: expected a request object, found ${typeOf(request)}`);
      const payloadType = checkString(request.payloadType ?? IN_TOTO_PAYLOAD_TYPE, 'signDsse payloadType');
      let text: string | undefined;
      try {
        text = JSON.stringify(request.statement);
      } catch {
        // reported below
      }
      if (text === undefined) invalid(`signDsse statement: expected a JSON value, found ${typeOf(request.statement)}`);
      const payload = utf8Encode(text);
      const time = signingTime(request.time);
      const { key, certificate } = certify(request.identity, time);
      const sig = key.sign(preAuthEncoding(payloadType, payload));
      const envelope: Envelope = { payload, payloadType, signatures: [{ sig, keyid: '' }] };
      // Rekor hashes the envelope text it was sent; this is the text a client would send.
      const envelopeHash = sha256(utf8Encode(JSON.stringify(serializeEnvelope(envelope))));
      const body = dsseV001Body({ payloadHash: sha256(payload), envelopeHash, signatures: [{ signature: sig, verifierPem: derToPem(certificate, 'CERTIFICATE') }] });
      return bundle(certificate, body, time, { $case: 'dsseEnvelope', envelope });
    },
  };
}

function resolveIdentity(identity: SigningIdentity, gitlab: GitlabMappingOptions | undefined): FulcioIdentity {
  if (typeof identity !== 'object' || identity === null) invalid(`signing identity: expected an object, found ${typeOf(identity)}`);
  if ('gitlab' in identity) return gitlabClaimsToFulcio(identity.gitlab, gitlab);
  return { san: identity.san, issuer: identity.issuer, extensions: identity.extensions ?? {} };
}

function artifactDigest(request: SignBlobRequest): Uint8Array {
  const given = request.digest?.sha256;
  if (request.artifact === undefined) {
    if (given === undefined) invalid('signBlob: expected an artifact or its sha256 digest, found neither');
    if (!(given instanceof Uint8Array) || given.length !== 32) invalid(`signBlob digest.sha256: expected 32 bytes, found ${typeOf(given)}`);
    return given;
  }
  const digest = sha256(checkBytes(request.artifact, 'signBlob artifact'));
  if (given !== undefined && !(given instanceof Uint8Array && bytesEqual(given, digest))) invalid('signBlob: the digest given is not the sha256 of the artifact given');
  return digest;
}

function signingTime(time: Date | undefined): Date {
  return wholeSeconds(checkDate(time ?? new Date(), 'signing time'));
}
