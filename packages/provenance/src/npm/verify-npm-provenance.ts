import { hash } from '@sigil/crypto';
import { encodeBase64, encodeHex, typeOf } from '@sigil/encoding';
import { artifactFromDigests, type Verifier, type SignerIdentity, type VerificationPolicy, type VerificationResult } from '@sigil/verify';
import { ProvenanceError } from '../errors.js';
import { asObject } from '../json-fields.js';
import { readProvenance } from '../slsa/read-provenance.js';
import { SLSA_PROVENANCE_V0_2, SLSA_PROVENANCE_V1, type Provenance } from '../slsa/types.js';
import { parseNpmAttestations, type NpmAttestation } from './attestations.js';
import { checkNpmGitlabBindings } from './gitlab-bindings.js';
import { npmPackageSubject } from './package-id.js';
import { checkSigningHost } from './signing-host.js';
import { checkTarballBytes, readPackageJsonFromTarball } from './tarball.js';

export interface VerifyNpmProvenanceOptions {
  /** The package tarball (.tgz) as downloaded. */
  tarball: Uint8Array;
  /** The registry's attestations document (text, bytes or value), or parseNpmAttestations' result. */
  attestations: unknown;
  /** `@sigil/verify`'s verifier, over the trust material to use (public good for npmjs.com). */
  verifier: Pick<Verifier, 'verify'>;
  /** Who must have signed the provenance: certificate identity, issuer, extensions. */
  policy: VerificationPolicy;
  /** When given, the tarball's package.json must name this package and version. */
  expectedName?: string;
  expectedVersion?: string;
}

export interface NpmProvenanceResult {
  name: string;
  version: string;
  /** `pkg:npm/...@...`, the statement's subject. */
  purl: string;
  /** `sha512-<base64>` of the tarball, as npm publishes it. */
  integrity: string;
  signer: SignerIdentity;
  provenance: Provenance;
  verification: VerificationResult;
}

/**
 * Verifies an npm package's SLSA provenance the way `npm audit signatures` does, and more:
 * the bundle verifies over the tarball's sha512 under `policy` (before the tarball is
 * unpacked), the statement's subject is
 * this package, version and tarball, and the provenance's source repository (and commit and
 * ref: whatever the certificate names, the provenance must name too) is the one in the signing certificate. Throws
 * ProvenanceError, or `@sigil/verify`'s VerificationError / PolicyError for the bundle itself.
 */
export async function verifyNpmProvenance(options: VerifyNpmProvenanceOptions): Promise<NpmProvenanceResult> {
  if (typeof options !== 'object' || options === null || typeof options.verifier?.verify !== 'function') {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `verifyNpmProvenance: expected options with a @sigil/verify Verifier, found ${typeOf(options?.verifier ?? options)}`);
  }
  const attestation = provenanceAttestation(options.attestations);
  // The bundle must sign the tarball's digest before the tarball is unpacked: inflating
  // bytes nobody signed (a gzip bomb) would cost time and memory for nothing.
  const sha512 = hash('sha512', checkTarballBytes(options.tarball));
  const verification = await options.verifier.verify(attestation.bundle, artifactFromDigests(new Map([['sha512', sha512]])), options.policy);
  const statement = verification.statement;
  if (!statement || statement.predicateType !== attestation.predicateType) {
    throw new ProvenanceError('PROVENANCE_NPM_ATTESTATIONS_INVALID', `npm attestations: the entry labelled ${attestation.predicateType} signs ${statement ? JSON.stringify(statement.predicateType) : 'no in-toto statement'}`);
  }

  // package.json names the package the subject must be (the digest alone says nothing of it).
  const pkg = await readPackageJsonFromTarball(options.tarball);
  checkExpected('name', options.expectedName, pkg.name);
  checkExpected('version', options.expectedVersion, pkg.version);
  const purl = npmPackageSubject(pkg.name, pkg.version);
  const hex = encodeHex(sha512);
  if (!statement.subjects.some((s) => s.name === purl && s.digest.sha512 === hex)) {
    throw new ProvenanceError('PROVENANCE_NPM_SUBJECT_MISMATCH', `provenance subject: expected ${purl} with the tarball's sha512 ${hex}, found ${statement.subjects.map((s) => `${s.name} (sha512 ${s.digest.sha512 ?? 'none'})`).join(', ')}`, {
      details: { expected: { name: purl, sha512: hex }, found: statement.subjects },
    });
  }
  const provenance = readProvenance(statement);
  const signer = verification.signer;
  checkSourceBinding(provenance, signer);
  if (provenance.layout === 'npm-gitlab-v0.2') checkNpmGitlabBindings(statement, signer);
  return { name: pkg.name, version: pkg.version, purl, integrity: `sha512-${encodeBase64(sha512)}`, signer: signer!, provenance, verification };
}

function provenanceAttestation(input: unknown): NpmAttestation {
  const list = Array.isArray(input) ? input.map(checkParsed) : parseNpmAttestations(input);
  const found = list.filter((a) => a.predicateType === SLSA_PROVENANCE_V1 || a.predicateType === SLSA_PROVENANCE_V0_2);
  if (found.length === 0) {
    throw new ProvenanceError('PROVENANCE_NPM_PROVENANCE_MISSING', `npm attestations: expected an SLSA provenance attestation, found only ${list.map((a) => a.predicateType).join(', ') || 'none'}`, {
      hint: 'the version was published without --provenance',
    });
  }
  if (found.length > 1) {
    throw new ProvenanceError('PROVENANCE_NPM_PROVENANCE_AMBIGUOUS', `npm attestations: expected one SLSA provenance attestation, found ${found.length}`);
  }
  return found[0]!;
}

function checkParsed(item: unknown, i: number): NpmAttestation {
  const entry = asObject(item);
  if (!entry || typeof entry.predicateType !== 'string' || !asObject(entry.bundle)) {
    throw new ProvenanceError('PROVENANCE_NPM_ATTESTATIONS_INVALID', `npm attestations[${i}]: expected {predicateType, bundle}, found ${typeOf(item)}`);
  }
  return entry as unknown as NpmAttestation;
}

function checkExpected(field: 'name' | 'version', expected: string | undefined, found: string): void {
  if (expected !== undefined && expected !== found) {
    throw new ProvenanceError('PROVENANCE_NPM_PACKAGE_MISMATCH', `npm package ${field}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(found)} in the tarball's package.json`, {
      details: { field, expected, found },
    });
  }
}

const REFLESS_LAYOUTS: ReadonlySet<string> = new Set(['npm-gitlab-v0.2']);

/** The provenance must describe the build the certificate was issued to. */
function checkSourceBinding(provenance: Provenance, signer: SignerIdentity | undefined): void {
  const certified = signer?.extensions.sourceRepositoryURI;
  if (provenance.sourceRepository === undefined || certified === undefined) {
    const missing = provenance.sourceRepository === undefined ? `the provenance (build type ${provenance.buildType})` : 'the signing certificate (extension 1.3.6.1.4.1.57264.1.12)';
    throw new ProvenanceError('PROVENANCE_NPM_SOURCE_UNKNOWN', `source repository: expected both the provenance and the signing certificate to name it, found none in ${missing}`);
  }
  // Before the provenance is compared with it: a certificate whose repository is on another
  // host than the instance that signed binds nothing, whatever the provenance copies from it.
  checkSigningHost(certified, provenance.sourceRepository, signer!);
  const pairs: [string, string | undefined, string | undefined][] = [
    ['source repository', provenance.sourceRepository, certified],
    ['source commit', provenance.sourceCommit, signer?.extensions.sourceRepositoryDigest?.toLowerCase()],
    ['source ref', provenance.sourceRef, signer?.extensions.sourceRepositoryRef],
  ];
  for (const [field, inProvenance, inCertificate] of pairs) {
    // What the certificate names, the provenance must name too: a statement that leaves out
    // (or garbles) the commit cannot be checked against it, and that fails. Only the full ref is
    // excused where a layout cannot carry it (npm's GitLab v0.2 statements of tag pipelines):
    // checkNpmGitlabBindings holds their CI_COMMIT_REF_NAME to the certificate's ref instead.
    const excused = field === 'source ref' && REFLESS_LAYOUTS.has(provenance.layout);
    if (inProvenance === undefined && inCertificate !== undefined && !excused) {
      throw new ProvenanceError('PROVENANCE_NPM_SOURCE_UNKNOWN', `provenance ${field}: expected ${JSON.stringify(inCertificate)} (the signing certificate's), found none in the provenance (build type ${provenance.buildType})`, {
        details: { field, expected: inCertificate },
      });
    }
    if (inProvenance !== undefined && inCertificate !== undefined && inProvenance !== inCertificate) {
      throw new ProvenanceError('PROVENANCE_NPM_SOURCE_MISMATCH', `provenance ${field}: expected ${JSON.stringify(inCertificate)} (the signing certificate's), found ${JSON.stringify(inProvenance)}`, {
        details: { field, expected: inCertificate, found: inProvenance },
        hint: 'the provenance describes a build other than the one the certificate was issued to',
      });
    }
  }
}
