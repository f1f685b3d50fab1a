import { encodeBase64, encodeHex, JSON_DOCUMENT_LIMITS, parseJson, utf8Decode } from '@sigil/encoding';
import type { ImageReference, VerifiedImageSignature } from '@sigil/oci';
import { GoStruct, goJson, type GoValue } from './go-json.js';

// What cosign verify prints for each verified signature (cmd/cosign/cli/verify/common.go,
// PrintVerification; verify.go, transformOutput): sigstore's SimpleContainerImage.

/** go-containerregistry's Reference.Name(): registry (index.docker.io for the Hub) / repository, then @digest or :tag. */
export function goReferenceName(ref: ImageReference): string {
  const registry = ref.registry === 'docker.io' ? 'index.docker.io' : ref.registry;
  return `${registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? 'latest'}`}`;
}

const EXTENSION_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['githubWorkflowTrigger', '1.3.6.1.4.1.57264.1.2', 'GitHub Workflow Trigger'],
  ['githubWorkflowSHA', '1.3.6.1.4.1.57264.1.3', 'GitHub Workflow SHA'],
  ['githubWorkflowName', '1.3.6.1.4.1.57264.1.4', 'GitHub Workflow Name'],
  ['githubWorkflowRepository', '1.3.6.1.4.1.57264.1.5', 'GitHub Workflow Repository'],
  ['githubWorkflowRef', '1.3.6.1.4.1.57264.1.6', 'GitHub Workflow Ref'],
];
// cosign's CertExtensionMap names for the same OIDs.
const COSIGN_NAMES: Readonly<Record<string, string>> = {
  githubWorkflowTrigger: 'githubWorkflowTrigger',
  githubWorkflowSHA: 'githubWorkflowSha',
  githubWorkflowName: 'githubWorkflowName',
  githubWorkflowRepository: 'githubWorkflowRepository',
  githubWorkflowRef: 'githubWorkflowRef',
};

interface Claims {
  critical: GoStruct;
  optional: { [key: string]: GoValue } | null;
  /** The payload as cosign prints it with -o text. */
  text: string;
  /** The certificate's identity lines cosign prints on stderr with -o text (legacy signatures only). */
  certificateLines: string[];
}

/** One signature's claims: cosign 3 bundles become a SimpleContainerImage without certificate (transformOutput); cosign 2 layers keep theirs. */
export function claimsOf(signature: VerifiedImageSignature, refName: string): Claims {
  if (signature.format === 'bundle') {
    const statement = signature.result.statement!;
    const subject = statement.subjects[0]!;
    const [algorithm, hex] = Object.entries(subject.digest).at(-1)!;
    const critical = criticalStruct(refName, `${algorithm}:${hex}`, statement.predicateType);
    const optional = (subject.annotations ?? {}) as { [key: string]: GoValue };
    return { critical, optional, text: goJson(new GoStruct([['critical', critical], ['optional', optional]])), certificateLines: [] };
  }
  const payload = parseJson(utf8Decode(signature.payload), 'payload', JSON_DOCUMENT_LIMITS['simple signing payload']) as { critical?: Record<string, Record<string, unknown> | unknown>; optional?: Record<string, GoValue> | null };
  const c = (payload.critical ?? {}) as { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown };
  const critical = criticalStruct(str(c.identity?.['docker-reference']), str(c.image?.['docker-manifest-digest']), str(c.type));
  const optional: { [key: string]: GoValue } = { ...(payload.optional ?? {}) };
  const signer = signature.result.signer;
  const lines: string[] = [];
  if (signer) {
    optional.Subject = signer.identity ?? '';
    lines.push(`Certificate subject: ${signer.identity ?? ''}`);
    if (signer.issuer) {
      optional.Issuer = signer.issuer;
      optional['1.3.6.1.4.1.57264.1.1'] = signer.issuer;
      lines.push(`Certificate issuer URL: ${signer.issuer}`);
    }
    const extensions = (signer.extensions ?? {}) as Record<string, string | undefined>;
    for (const [name, oid, label] of EXTENSION_KEYS) {
      const value = extensions[name];
      if (!value) continue;
      optional[COSIGN_NAMES[name]!] = value;
      optional[oid] = value;
      lines.push(`${label}: ${value}`);
    }
  }
  // cosign prints the Rekor bundle of the annotation as it is; Sigil only when its SET was
  // verified (not under --insecure-ignore-tlog), since its index and time are reported as facts.
  const entry = signature.bundle.verificationMaterial.tlogEntries[0];
  const setVerified = signature.result.tlogEntries[0]?.integratedTime !== undefined;
  if (entry?.inclusionPromise && setVerified) {
    optional.Bundle = new GoStruct([
      ['SignedEntryTimestamp', encodeBase64(entry.inclusionPromise.signedEntryTimestamp)],
      ['Payload', new GoStruct([['body', encodeBase64(entry.canonicalizedBody)], ['integratedTime', entry.integratedTime], ['logIndex', entry.logIndex], ['logID', encodeHex(entry.logId)]])],
    ]);
  }
  return { critical, optional, text: utf8Decode(signature.payload), certificateLines: lines };
}

function criticalStruct(reference: string, digest: string, type: string): GoStruct {
  return new GoStruct([
    ['identity', new GoStruct([['docker-reference', reference]])],
    ['image', new GoStruct([['docker-manifest-digest', digest]])],
    ['type', type],
  ]);
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `-o json`: the JSON array cosign prints, after a blank line. */
export function cosignJsonOutput(claims: Claims[]): string {
  return `\n${goJson(claims.map((c) => new GoStruct([['critical', c.critical], ['optional', c.optional]])))}\n`;
}

/** cosign's header on stderr (PrintVerificationHeader): with a key or keyless, the log checked unless --insecure-ignore-tlog. */
export function cosignVerificationHeader(refName: string, annotationsGiven: boolean, { withKey = false, tlogChecked = true } = {}): string {
  return [
    '',
    `Verification for ${refName} --`,
    'The following checks were performed on each of these signatures:',
    ...(annotationsGiven ? ['  - The specified annotations were verified.'] : []),
    '  - The cosign claims were validated',
    ...(tlogChecked ? ['  - Existence of the claims in the transparency log was verified offline'] : []),
    withKey ? '  - The signatures were verified against the specified public key' : '  - The code-signing certificate was verified using trusted certificate authority certificates',
    '',
  ].join('\n');
}
