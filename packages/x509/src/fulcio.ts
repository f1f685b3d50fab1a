import { utf8Decode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import type { Certificate } from './certificate.js';
import { readString, readWhole, TAG } from './der.js';
import { X509Error } from './errors.js';
import type { SubjectAltNameType } from './standard-extensions.js';

export interface FulcioExtension {
  readonly oid: string;
  readonly name: FulcioExtensionName;
  /** Fulcio's own name for it (docs/oid-info.md). */
  readonly title: string;
  /** `.1.1`-`.1.6` hold the raw string bytes; `.1.8` onward a DER UTF8String. */
  readonly encoding: 'raw' | 'utf8String';
}

export type FulcioExtensionName =
  | 'issuer'
  | 'githubWorkflowTrigger'
  | 'githubWorkflowSHA'
  | 'githubWorkflowName'
  | 'githubWorkflowRepository'
  | 'githubWorkflowRef'
  | 'issuerV2'
  | 'buildSignerURI'
  | 'buildSignerDigest'
  | 'runnerEnvironment'
  | 'sourceRepositoryURI'
  | 'sourceRepositoryDigest'
  | 'sourceRepositoryRef'
  | 'sourceRepositoryIdentifier'
  | 'sourceRepositoryOwnerURI'
  | 'sourceRepositoryOwnerIdentifier'
  | 'buildConfigURI'
  | 'buildConfigDigest'
  | 'buildTrigger'
  | 'runInvocationURI'
  | 'sourceRepositoryVisibilityAtSigning'
  | 'deploymentEnvironment'
  | 'tokenSubject';

const entry = (n: number, name: FulcioExtensionName, title: string): FulcioExtension => ({
  oid: `1.3.6.1.4.1.57264.1.${n}`,
  name,
  title,
  encoding: n <= 6 ? 'raw' : 'utf8String',
});

/** The Sigstore certificate extensions (`1.3.6.1.4.1.57264.1.N`); `.1.7` is a SAN type, not an extension. */
export const FULCIO_EXTENSIONS: readonly FulcioExtension[] = [
  entry(1, 'issuer', 'Issuer (deprecated)'),
  entry(2, 'githubWorkflowTrigger', 'GitHub Workflow Trigger (deprecated)'),
  entry(3, 'githubWorkflowSHA', 'GitHub Workflow SHA (deprecated)'),
  entry(4, 'githubWorkflowName', 'GitHub Workflow Name (deprecated)'),
  entry(5, 'githubWorkflowRepository', 'GitHub Workflow Repository (deprecated)'),
  entry(6, 'githubWorkflowRef', 'GitHub Workflow Ref (deprecated)'),
  entry(8, 'issuerV2', 'Issuer (V2)'),
  entry(9, 'buildSignerURI', 'Build Signer URI'),
  entry(10, 'buildSignerDigest', 'Build Signer Digest'),
  entry(11, 'runnerEnvironment', 'Runner Environment'),
  entry(12, 'sourceRepositoryURI', 'Source Repository URI'),
  entry(13, 'sourceRepositoryDigest', 'Source Repository Digest'),
  entry(14, 'sourceRepositoryRef', 'Source Repository Ref'),
  entry(15, 'sourceRepositoryIdentifier', 'Source Repository Identifier'),
  entry(16, 'sourceRepositoryOwnerURI', 'Source Repository Owner URI'),
  entry(17, 'sourceRepositoryOwnerIdentifier', 'Source Repository Owner Identifier'),
  entry(18, 'buildConfigURI', 'Build Config URI'),
  entry(19, 'buildConfigDigest', 'Build Config Digest'),
  entry(20, 'buildTrigger', 'Build Trigger'),
  entry(21, 'runInvocationURI', 'Run Invocation URI'),
  entry(22, 'sourceRepositoryVisibilityAtSigning', 'Source Repository Visibility At Signing'),
  entry(23, 'deploymentEnvironment', 'Deployment Environment'),
  entry(24, 'tokenSubject', 'Token Subject'),
];

const BY_OID = new Map(FULCIO_EXTENSIONS.map((ext) => [ext.oid, ext]));

// "Source Repository URI", "sourceRepositoryURI" and "source-repository-uri" all fold to
// "sourcerepositoryuri"; titles also match without their "(deprecated)" suffix.
const fold = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');
// Built on the first lookup by name: only policies that name extensions need it, not a
// verification's start.
let byFolded: Map<string, FulcioExtension> | undefined;

function foldedNames(): Map<string, FulcioExtension> {
  if (!byFolded) {
    byFolded = new Map();
    for (const ext of [...FULCIO_EXTENSIONS].reverse()) {
      for (const key of [ext.title.replace(/ \(deprecated\)$/, ''), ext.title, ext.name]) byFolded.set(fold(key), ext);
    }
  }
  return byFolded;
}

/** Looks an extension up by OID, camelCase name, title, or kebab-case title; undefined if unknown. */
export function findFulcioExtension(nameOrTitleOrOid: string): FulcioExtension | undefined {
  if (typeof nameOrTitleOrOid !== 'string') return undefined;
  return BY_OID.get(nameOrTitleOrOid.trim()) ?? foldedNames().get(fold(nameOrTitleOrOid));
}

/** The Fulcio extensions present on `cert`, decoded. Throws X509Error X509_EXTENSION_MALFORMED. */
export function fulcioExtensions(cert: Certificate): Partial<Record<FulcioExtensionName, string>> {
  const out: Partial<Record<FulcioExtensionName, string>> = {};
  for (const ext of cert.extensions) {
    const known = BY_OID.get(ext.oid);
    if (known) out[known.name] = decodeFulcioExtension(known, ext.value);
  }
  return out;
}

function decodeFulcioExtension(ext: FulcioExtension, value: Uint8Array): string {
  try {
    if (ext.encoding === 'raw') return utf8Decode(value, ext.title);
    return readString(value, readWhole(value, TAG.UTF8_STRING, ext.title), ext.title);
  } catch (err) {
    const expected = ext.encoding === 'raw' ? 'UTF-8 text' : 'a DER UTF8String';
    throw new X509Error('X509_EXTENSION_MALFORMED', `certificate extension ${ext.oid} (${ext.title}): expected ${expected}, ${describeError(err)}`, {
      cause: err,
      details: { oid: ext.oid },
    });
  }
}

export interface CertificateIdentity {
  /** The one SAN: a URI, e-mail address or Sigstore OtherName (username). */
  readonly san: string;
  readonly sanType: SubjectAltNameType;
  /** The OIDC issuer: `.1.8`, else `.1.1`; undefined when neither is present. */
  readonly issuer: string | undefined;
}

/** The signer identity Sigstore policies match: the single SAN and the OIDC issuer. */
export function certificateIdentity(cert: Certificate): CertificateIdentity {
  const sans = cert.subjectAltNames;
  const [first] = sans;
  if (!first || sans.length !== 1) {
    throw new X509Error('X509_IDENTITY_INVALID', `certificate: expected exactly one subject alternative name, found ${sans.length}`, {
      details: { sans: sans.map((san) => san.value) },
    });
  }
  const extensions = fulcioExtensions(cert);
  return { san: first.value, sanType: first.type, issuer: extensions.issuerV2 ?? extensions.issuer };
}
