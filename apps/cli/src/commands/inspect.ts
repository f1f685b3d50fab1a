import { parseBundle, parseStatement, type Bundle, type Statement } from '@sigil/bundle';
import { readProvenance, SLSA_PROVENANCE_V0_2, SLSA_PROVENANCE_V1, type Provenance } from '@sigil/provenance';
import { encodeBase64, encodeHex } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { certificateIdentity, FULCIO_EXTENSIONS, fulcioExtensions, parseCertificate } from '@sigil/x509';
import { usageError } from '../cli-error.js';
import { plainFlags } from '../flags/plain.js';
import type { Command } from '../command.js';
import { readTextFileLimited } from '../files.js';
import { textLines } from '../terminal-output.js';
import { outputFormat } from '../options/output-format.js';

type ProvenanceSummary = Pick<Provenance, 'builderId' | 'buildType' | 'sourceRepository' | 'sourceRef' | 'sourceCommit' | 'invocationId'>;

/** For SLSA provenance, who built it from what (unverified, like the rest). */
function provenanceOf(statement: Statement): { provenance?: ProvenanceSummary } {
  if (statement.predicateType !== SLSA_PROVENANCE_V1 && statement.predicateType !== SLSA_PROVENANCE_V0_2) return {};
  try {
    const { builderId, buildType, sourceRepository, sourceRef, sourceCommit, invocationId } = readProvenance(statement);
    return { provenance: { builderId, buildType, sourceRepository, sourceRef, sourceCommit, invocationId } };
  } catch {
    return {};
  }
}

/** Everything a bundle claims, unverified: what to look at when a verification fails. */
export const inspect: Command = {
  name: 'inspect',
  summary: 'Show what a bundle says (signer, extensions, log entries, statement) without verifying it',
  usage: 'sigil inspect BUNDLE [--output text|json]',
  flags: plainFlags({ output: { type: 'string', short: 'o' } }),
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw usageError(`expected one bundle file, found ${positionals.length}`);
    // A mistyped format (-o jsn) is refused, as by the other commands, not taken for text.
    const output = outputFormat(values.output as string | undefined, 'text');
    const bundle = parseBundle(readTextFileLimited(positionals[0]!, 'bundle', 64 * 1024 * 1024));
    const summary = summarize(bundle);
    if (output === 'json') io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else io.stdout(render(summary));
    return 0;
  },
};

interface Summary {
  mediaType: string;
  bundleVersion: string;
  content: string;
  signer?: { identity: string; identityType: string; issuer: string | undefined; notBefore: string; notAfter: string; extensions: Record<string, string> };
  publicKeyHint?: string;
  tlogEntries: { logIndex: string; logId: string; kind: string; integratedTime: string | undefined; inclusionPromise: boolean; inclusionProof: boolean }[];
  rfc3161Timestamps: number;
  statement?: { type: string; predicateType: string; subjects: { name: string; digest: Record<string, string> }[]; provenance?: ProvenanceSummary } | { error: string };
  messageDigest?: string;
}

function summarize(bundle: Bundle): Summary {
  const material = bundle.verificationMaterial;
  const summary: Summary = {
    mediaType: bundle.mediaType,
    bundleVersion: bundle.version,
    content: bundle.content.$case,
    tlogEntries: material.tlogEntries.map((e) => ({
      logIndex: e.logIndex.toString(),
      logId: encodeBase64(e.logId),
      kind: `${e.kindVersion.kind}/${e.kindVersion.version}`,
      integratedTime: e.integratedTime > 0n ? new Date(Number(e.integratedTime) * 1000).toISOString() : undefined,
      inclusionPromise: e.inclusionPromise !== undefined,
      inclusionProof: e.inclusionProof !== undefined,
    })),
    rfc3161Timestamps: material.rfc3161Timestamps.length,
  };
  const content = material.content;
  if (content.$case === 'publicKey') summary.publicKeyHint = content.hint;
  const der = content.$case === 'certificate' ? content.certificate : content.$case === 'x509CertificateChain' ? content.certificates[0] : undefined;
  if (der) {
    const cert = parseCertificate(der);
    const id = certificateIdentity(cert);
    const byName = fulcioExtensions(cert);
    const extensions: Record<string, string> = {};
    for (const ext of FULCIO_EXTENSIONS) if (byName[ext.name] !== undefined) extensions[ext.title] = byName[ext.name]!;
    summary.signer = { identity: id.san, identityType: id.sanType, issuer: id.issuer, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), extensions };
  }
  if (bundle.content.$case === 'messageSignature' && bundle.content.messageDigest) {
    summary.messageDigest = `${bundle.content.messageDigest.algorithm}:${encodeHex(bundle.content.messageDigest.digest)}`;
  }
  if (bundle.content.$case === 'dsseEnvelope') {
    try {
      const st = parseStatement(bundle.content.envelope.payload);
      summary.statement = { type: st.type, predicateType: st.predicateType, subjects: st.subjects, ...provenanceOf(st) };
    } catch (err) {
      summary.statement = { error: describeError(err) };
    }
  }
  return summary;
}

function render(s: Summary): string {
  const lines = [`Bundle:            ${s.mediaType} (v${s.bundleVersion}), ${s.content}`];
  if (s.signer) {
    lines.push(`Signer identity:   ${s.signer.identity} (${s.signer.identityType})`);
    lines.push(`OIDC issuer:       ${s.signer.issuer ?? '(none)'}`);
    lines.push(`Certificate valid: ${s.signer.notBefore} .. ${s.signer.notAfter}`);
    for (const [title, value] of Object.entries(s.signer.extensions)) lines.push(`  ${title}: ${value}`);
  }
  if (s.publicKeyHint !== undefined) lines.push(`Signed with key:   ${s.publicKeyHint || '(no hint)'}`);
  if (s.messageDigest) lines.push(`Message digest:    ${s.messageDigest}`);
  for (const e of s.tlogEntries) {
    const proofs = [e.inclusionPromise && 'SET', e.inclusionProof && 'inclusion proof'].filter(Boolean).join(' + ') || 'no proof';
    lines.push(`Log entry:         index ${e.logIndex}, ${e.kind}, log ID ${e.logId}, ${e.integratedTime ?? 'no integrated time'} (${proofs})`);
  }
  if (s.rfc3161Timestamps) lines.push(`RFC 3161 timestamps: ${s.rfc3161Timestamps}`);
  if (s.statement && 'error' in s.statement) lines.push(`Statement:         unreadable (${s.statement.error})`);
  else if (s.statement) {
    lines.push(`Statement:         ${s.statement.type}`);
    lines.push(`Predicate type:    ${s.statement.predicateType}`);
    for (const subject of s.statement.subjects) {
      lines.push(`  Subject: ${subject.name} ${Object.entries(subject.digest).map(([a, d]) => `${a}:${d}`).join(' ')}`);
    }
    const p = s.statement.provenance;
    if (p) {
      lines.push(`Builder:           ${p.builderId}`);
      lines.push(`Build type:        ${p.buildType}`);
      if (p.sourceRepository) lines.push(`Source:            ${p.sourceRepository}${p.sourceRef ? ` @ ${p.sourceRef}` : ''}${p.sourceCommit ? ` (${p.sourceCommit})` : ''}`);
      if (p.invocationId) lines.push(`Invocation:        ${p.invocationId}`);
    }
  }
  return textLines(lines);
}
