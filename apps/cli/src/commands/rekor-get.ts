import { parseStatement } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { bytesEqual, decodeBase64, encodeHex, JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, utf8Decode } from '@sigil/encoding';
import { describeError, printable } from '@sigil/errors';
import { requestJson, serviceBaseUrl } from '@sigil/http-client';
import { parseEntryBody, type Digest, type EntryVerifier, type LoggedEntry } from '@sigil/rekor';
import { createRekorClient, toTransparencyLogEntry, type RekorLogEntry } from '@sigil/rekor/client';
import type { TrustMaterial } from '@sigil/trust';
import { checkCertificateChain, checkLogEntry, VerificationError, type CheckOutcome, type VerificationErrorCode } from '@sigil/verify';
import { certificateIdentity, FULCIO_EXTENSIONS, fulcioExtensions, parseCertificate } from '@sigil/x509';
import { usageError } from '../cli-error.js';
import { plainFlags } from '../flags/plain.js';
import type { Command } from '../command.js';
import { signingServicesFromFlags } from '../options/signing-services.js';
import { trustFromFlags } from '../options/trust.js';
import { readTileEntry, verifyLog, type VerifyLogFlags } from './rekor-tiles.js';
import { textLines } from '../terminal-output.js';
import { outputFormat } from '../options/output-format.js';

interface RekorGetFlags extends VerifyLogFlags {
  'log-index'?: string;
  uuid?: string;
  'rekor-url'?: string;
  'signing-config'?: string;
  'trusted-root'?: string;
  staging?: boolean;
  output?: string;
}

/** `sigil rekor get`: one log entry, fetched and decoded (what rekor-cli get shows, readable). */
export const rekorGet: Command = {
  name: 'rekor',
  summary: 'rekor get: fetch a transparency log entry and show it decoded (kind, digest, signer, extensions, attestation); rekor verify-log: prove a Rekor v2 log append-only from its tiles',
  usage:
    'sigil rekor get (--log-index N | --uuid UUID) [--rekor-url URL] [--signing-config FILE] [--trusted-root FILE | --staging] [--output json]\n' +
    '       sigil rekor verify-log [--signing-config FILE] [--trusted-root FILE] [--checkpoint FILE] [--interval SECONDS] [--save-checkpoint FILE]',
  flags: plainFlags({
    'log-index': { type: 'string' },
    uuid: { type: 'string' },
    'rekor-url': { type: 'string' },
    'signing-config': { type: 'string' },
    // What the entry is verified against: its SET, inclusion proof and certificate chain.
    'trusted-root': { type: 'string' },
    staging: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    checkpoint: { type: 'string' },
    'save-checkpoint': { type: 'string' },
    interval: { type: 'string' },
  }),
  async run(values, positionals, io) {
    const flags = values as RekorGetFlags;
    const subcommand = positionals[0];
    if (positionals.length !== 1 || (subcommand !== 'get' && subcommand !== 'verify-log')) {
      throw usageError(`expected the subcommand get or verify-log, found ${positionals.length ? JSON.stringify(positionals.join(' ')) : 'none'}`);
    }
    const output = outputFormat(flags.output, 'text');
    // The signing config's log (--signing-config or SIGIL_SIGNING_CONFIG), else public good.
    const [log] = signingServicesFromFlags({ 'rekor-url': flags['rekor-url'], 'signing-config': flags['signing-config'] }).transparencyLogs;
    const rekorUrl = log!.url;
    if (subcommand === 'verify-log') {
      if (log!.majorApiVersion !== 2) throw usageError(`verify-log: ${rekorUrl} is a Rekor v1 log; verify-log proves consistency from the tiles of a Rekor v2 log (name one with --signing-config)`);
      return verifyLog(rekorUrl, trustFromFlags(flags, io), flags, io.stdout);
    }
    const lookup = lookupOf(flags);
    const trust = trustFromFlags(flags, io);
    let entry: RekorLogEntry;
    if (log!.majorApiVersion === 2) {
      // A tile-based log has no lookup by UUID (no search API): entries are found by index.
      if (!('index' in lookup)) throw usageError(`--uuid: ${rekorUrl} is a Rekor v2 log, which has no search by UUID; use --log-index N`);
      entry = await readTileEntry(rekorUrl, trust, lookup.index);
    } else {
      const client = createRekorClient({ url: rekorUrl });
      entry = 'index' in lookup ? await client.getEntryByIndex(lookup.index) : await client.getEntryByUuid(lookup.uuid);
    }
    const { failure, ...summary } = await summarize(rekorUrl, entry, trust, log!.majorApiVersion === 2);
    io.stdout(output === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : render(summary));
    // Shown whatever the outcome, but a log that does not check out (or was not checked) is no success.
    if (failure) throw failure;
    return 0;
  },
};

const MAX_LOG_INDEX = (1n << 63n) - 1n;

function lookupOf(flags: RekorGetFlags): { index: bigint } | { uuid: string } {
  if ((flags['log-index'] === undefined) === (flags.uuid === undefined)) throw usageError('expected one of --log-index N or --uuid UUID');
  if (flags.uuid !== undefined) {
    if (!/^([0-9a-fA-F]{16})?[0-9a-fA-F]{64}$/.test(flags.uuid)) throw usageError(`--uuid: expected 64 hex digits (or 80 with the tree ID), found ${JSON.stringify(flags.uuid.slice(0, 100))}`);
    return { uuid: flags.uuid };
  }
  const text = flags['log-index']!;
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > MAX_LOG_INDEX) throw usageError(`--log-index: expected a whole number from 0 to 2^63-1, found ${JSON.stringify(text.slice(0, 40))}`);
  return { index: BigInt(text) };
}

/** Each certificate signer with its own chain outcome: an entry may hold several signers, from several CAs. */
type SignerSummary =
  | {
      type: 'certificate';
      identity: string;
      identityType: string;
      issuer: string | undefined;
      notBefore: string;
      notAfter: string;
      extensions: Record<string, string>;
      certificateChain: ShownOutcome;
    }
  | { type: 'certificate'; error: string; certificateChain: ShownOutcome }
  | { type: 'publicKey'; spkiSha256: string };

interface AttestationSummary {
  status: 'not-stored' | 'not-returned' | 'verified' | 'mismatch' | 'unbound' | 'unavailable';
  note: string;
  statement?: { type: string; predicateType: string; subjects: { name: string; digest: Record<string, string> }[] };
  document?: unknown;
}

interface EntrySummary {
  rekorUrl: string;
  logIndex: string;
  uuid: string;
  kind: string;
  version: string;
  integratedTime: string;
  logId: string;
  artifactDigest?: string;
  payloadHash?: string;
  envelopeHash?: string;
  payloadType?: string;
  signers: SignerSummary[];
  inclusionProof?: { logIndex: string; treeSize: string; rootHash: string; checkpoint: boolean };
  attestation?: AttestationSummary;
  verification: VerificationSummary;
  /** The first check that failed, else the first left unchecked: thrown once the summary is shown; not part of the JSON. */
  failure?: VerificationError | undefined;
}

interface VerificationSummary {
  /** True only when the SET (Rekor v2: the inclusion proof), any inclusion proof and every signer's certificate chain verify against the trusted root. */
  verified: boolean;
  /** Rekor v2 only: it signs no entry timestamp and records no time, so what stands for them. */
  rekorV2?: { logCheck: 'inclusion proof against the signed checkpoint'; certificatesCheckedAt: 'their issuance (notBefore)' };
  log: string | null;
  signedEntryTimestamp: ShownOutcome;
  inclusionProof: ShownOutcome;
  /** Every signer's chain together: verified only if each is (each signer has its own outcome). */
  certificateChain: ShownOutcome;
}

type ShownOutcome = { status: 'verified' } | { status: 'failed'; code: string; message: string } | { status: 'not-checked'; reason: string };

const shown = (o: CheckOutcome): ShownOutcome => (o.status === 'failed' ? { status: 'failed', code: o.error.code, message: o.error.message } : o);

async function summarize(rekorUrl: string, entry: RekorLogEntry, trust: TrustMaterial, rekorV2: boolean): Promise<EntrySummary> {
  const logged = parseEntryBody(entry.body);
  const { verification, chains, failure } = verify(entry, logged, trust, rekorV2);
  const proof = entry.verification.inclusionProof;
  const digest = (d: Digest) => `${d.algorithm}:${encodeHex(d.digest)}`;
  return {
    rekorUrl,
    logIndex: entry.logIndex.toString(),
    uuid: entry.uuid,
    kind: logged.kind,
    version: logged.version,
    // Rekor v2 entries carry no time (read from the tiles, proven against the verified checkpoint).
    integratedTime: entry.verification.signedEntryTimestamp.length === 0 ? 'none (Rekor v2 records no time)' : new Date(Number(entry.integratedTime) * 1000).toISOString(),
    logId: encodeHex(entry.logId),
    ...(logged.artifactDigest ? { artifactDigest: digest(logged.artifactDigest) } : {}),
    ...(logged.payloadHash ? { payloadHash: digest(logged.payloadHash) } : {}),
    ...(logged.envelopeHash ? { envelopeHash: digest(logged.envelopeHash) } : {}),
    ...(logged.payloadType ? { payloadType: logged.payloadType } : {}),
    signers: logged.verifiers.map((verifier, i) => describeSigner(verifier, chains[i])),
    ...(proof ? { inclusionProof: { logIndex: proof.logIndex.toString(), treeSize: proof.treeSize.toString(), rootHash: encodeHex(proof.rootHash), checkpoint: proof.checkpoint !== '' } } : {}),
    ...(logged.kind === 'hashedrekord' ? {} : { attestation: await attestationOf(rekorUrl, entry, logged) }),
    verification,
    failure,
  };
}

/**
 * The entry against the trusted root: whatever a log serves is only what it claims until
 * its SET (and proof, when given) verify with a trusted log key and every certificate chains
 * to a trusted Fulcio CA at the integrated time the SET vouches for. Rekor v1 does not check
 * who issued a lone certificate, so one entry may hold a genuine signer beside a forged one:
 * each is checked, and the entry is verified only if all are.
 * Rekor v2 signs no entry timestamp and records no time: as sigstore-go does for its entries,
 * the inclusion proof against the signed checkpoint is the log check; with no time of signing
 * (only a bundle's RFC 3161 timestamp gives one), each certificate is checked at its issuance.
 */
function verify(
  entry: RekorLogEntry,
  logged: LoggedEntry,
  trust: TrustMaterial,
  rekorV2: boolean,
): { verification: VerificationSummary; chains: (CheckOutcome | undefined)[]; failure: VerificationError | undefined } {
  const check = checkLogEntry(toTransparencyLogEntry(entry), trust);
  const logCheck = rekorV2 ? check.inclusionProof : check.signedEntryTimestamp;
  const signedEntryTimestamp: CheckOutcome =
    rekorV2 && check.signedEntryTimestamp.status === 'not-checked'
      ? { status: 'not-checked', reason: 'Rekor v2 signs none: the inclusion proof against the signed checkpoint is the log check' }
      : check.signedEntryTimestamp;
  const chainAt = (der: Uint8Array): CheckOutcome => {
    if (!rekorV2 || logCheck.status !== 'verified') return checkCertificateChain(der, trust, check.integratedTime);
    let issued: Date;
    try {
      issued = parseCertificate(der).notBefore;
    } catch (err) {
      return { status: 'failed', error: new VerificationError('VERIFY_CERTIFICATE_INVALID', `signing certificate: ${describeError(err)}`, { cause: err }) };
    }
    return checkCertificateChain(der, trust, issued);
  };
  const chains = logged.verifiers.map((v) => (v.type === 'certificate' ? chainAt(v.der) : undefined));
  const certificates = chains.filter((o) => o !== undefined);
  const certificateChain = allChains(chains);
  const verified = logCheck.status === 'verified' && check.inclusionProof.status !== 'failed' && certificates.every((o) => o.status === 'verified');
  const outcomes = [check.signedEntryTimestamp, check.inclusionProof, ...certificates];
  const failed = outcomes.find((o) => o.status === 'failed');
  // Nothing failed but something was not checked: the first such check, named, with why.
  const signer = (i: number) => (chains.length > 1 ? ` of signer ${i + 1} of ${chains.length}` : '');
  const required: [string, VerificationErrorCode, CheckOutcome | undefined][] = [
    rekorV2 ? ['inclusion proof', 'VERIFY_TLOG_PROOF_MISSING', logCheck] : ['signed entry timestamp', 'VERIFY_TLOG_SET_MISSING', logCheck],
    ...chains.map((o, i): [string, VerificationErrorCode, CheckOutcome | undefined] => [`certificate chain${signer(i)}`, 'VERIFY_TIMESTAMP_MISSING', o]),
  ];
  return {
    verification: {
      verified,
      ...(rekorV2 ? { rekorV2: { logCheck: 'inclusion proof against the signed checkpoint', certificatesCheckedAt: 'their issuance (notBefore)' } as const } : {}),
      log: check.log?.baseUrl ?? null,
      signedEntryTimestamp: shown(signedEntryTimestamp),
      inclusionProof: shown(check.inclusionProof),
      certificateChain,
    },
    chains,
    failure: failed?.status === 'failed' ? failed.error : verified ? undefined : firstUnchecked(`log entry ${entry.logIndex}`, required),
  };
}

function firstUnchecked(where: string, required: [string, VerificationErrorCode, CheckOutcome | undefined][]): VerificationError | undefined {
  for (const [name, code, o] of required) if (o?.status === 'not-checked') return new VerificationError(code, `${where}: ${name} not verified: ${o.reason}`);
  return undefined;
}

/** The chains of all signers as one outcome: the first that failed, else the first not checked, naming its signer when there are several. */
function allChains(chains: (CheckOutcome | undefined)[]): ShownOutcome {
  if (!chains.some((o) => o !== undefined)) return { status: 'not-checked', reason: 'the entry is signed with a public key, not a certificate' };
  const signer = (i: number) => (chains.length > 1 ? `signer ${i + 1} of ${chains.length}: ` : '');
  for (const status of ['failed', 'not-checked'] as const) {
    const i = chains.findIndex((o) => o?.status === status);
    if (i < 0) continue;
    const o = shown(chains[i]!);
    if (o.status === 'failed') return { ...o, message: `${signer(i)}${o.message}` };
    if (o.status === 'not-checked') return { ...o, reason: `${signer(i)}${o.reason}` };
  }
  return { status: 'verified' };
}

function describeSigner(verifier: EntryVerifier, chain: CheckOutcome | undefined): SignerSummary {
  if (verifier.type === 'publicKey' || !chain) return { type: 'publicKey', spkiSha256: encodeHex(sha256(verifier.der)) };
  const certificateChain = shown(chain);
  // A log may hold anything a client sent: an unreadable certificate is shown, not fatal.
  try {
    const cert = parseCertificate(verifier.der);
    const id = certificateIdentity(cert);
    const byName = fulcioExtensions(cert);
    const extensions: Record<string, string> = {};
    for (const ext of FULCIO_EXTENSIONS) if (byName[ext.name] !== undefined) extensions[ext.title] = byName[ext.name]!;
    return { type: 'certificate', identity: id.san, identityType: id.sanType, issuer: id.issuer, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), extensions, certificateChain };
  } catch (err) {
    return { type: 'certificate', error: describeError(err), certificateChain };
  }
}

/**
 * dsse entries keep only hashes, never the payload. intoto entries may come with the payload
 * the log stored (`attestation.data`): shown only when it hashes to the entry's payloadHash.
 * The client does not hand that field out, so it is read from a second lookup by UUID.
 */
async function attestationOf(rekorUrl: string, entry: RekorLogEntry, logged: LoggedEntry): Promise<AttestationSummary> {
  if (logged.kind === 'dsse') {
    return { status: 'not-stored', note: 'dsse entries keep only the payload and envelope hashes, not the attestation: it is in the bundle (sigil inspect BUNDLE)' };
  }
  let data: Uint8Array | undefined;
  try {
    const { body } = await requestJson(new URL(`api/v1/log/entries/${entry.uuid}`, serviceBaseUrl(rekorUrl, 'Rekor')));
    const text = (body as Record<string, { attestation?: { data?: unknown } } | undefined>)?.[entry.uuid]?.attestation?.data;
    if (text !== undefined) data = decodeBase64(typeof text === 'string' ? text : '?', 'attestation data');
  } catch (err) {
    return { status: 'unavailable', note: `the attestation could not be fetched (${describeError(err)})` };
  }
  if (!data) return { status: 'not-returned', note: 'the log returned no attestation for this entry (not stored, or too large to store)' };
  if (!logged.payloadHash) return { status: 'unbound', note: 'the entry records no payload hash, so the attestation the log returned cannot be checked against it: not shown' };
  if (!bytesEqual(sha256(data), logged.payloadHash.digest)) {
    return { status: 'mismatch', note: `the attestation the log returned hashes to sha256:${encodeHex(sha256(data))}, not the entry's payload hash: not shown` };
  }
  return { status: 'verified', note: "the log's stored payload; its SHA-256 equals the entry's payload hash", ...readStatement(data) };
}

function readStatement(data: Uint8Array): Pick<AttestationSummary, 'statement' | 'document'> {
  let document: unknown;
  try {
    document = parseJson(utf8Decode(data, 'attestation'), 'attestation', JSON_DOCUMENT_LIMITS['in-toto statement']);
  } catch (err) {
    // Over the limits is not "not JSON"; that refusal names only the limit, so it may be shown.
    const overLimits = jsonShapeRefusal(err);
    return { document: `(${data.length} bytes, ${overLimits ? `refused before parsing: ${overLimits.message}` : 'not JSON'})` };
  }
  try {
    const statement = parseStatement(data);
    return { statement: { type: statement.type, predicateType: statement.predicateType, subjects: statement.subjects }, document };
  } catch {
    return { document };
  }
}

function render(s: EntrySummary): string {
  // A signer is shown as fact only when the log checks out and its own chain verifies.
  const v = s.verification;
  const logChecked = (v.rekorV2 ? v.inclusionProof : v.signedEntryTimestamp).status === 'verified' && v.inclusionProof.status !== 'failed';
  const chainVerified = v.rekorV2 ? CHAIN_VERIFIED_AT_ISSUANCE : CHAIN_VERIFIED;
  const lines = [
    `Rekor entry:       index ${s.logIndex} in ${s.rekorUrl}`,
    `UUID:              ${s.uuid}`,
    `Kind:              ${s.kind} ${s.version}`,
    `Integrated time:   ${s.integratedTime}`,
    `Log ID:            ${s.logId}`,
  ];
  if (s.artifactDigest) lines.push(`Artifact digest:   ${s.artifactDigest}`);
  if (s.payloadHash) lines.push(`Payload hash:      ${s.payloadHash}`);
  if (s.envelopeHash) lines.push(`Envelope hash:     ${s.envelopeHash}`);
  if (s.payloadType) lines.push(`Payload type:      ${s.payloadType}`);
  for (const signer of s.signers) {
    if ('spkiSha256' in signer) lines.push(`Signed with key:   SHA-256 of its SubjectPublicKeyInfo ${signer.spkiSha256}`);
    else if ('error' in signer) lines.push(`Signer:            certificate unreadable (${signer.error})`);
    else {
      const unverified = logChecked && signer.certificateChain.status === 'verified' ? '' : ' (UNVERIFIED: as the log claims it)';
      lines.push(`Signer identity:   ${signer.identity} (${signer.identityType})${unverified}`);
      lines.push(`OIDC issuer:       ${signer.issuer ?? '(none)'}`);
      lines.push(`Certificate valid: ${signer.notBefore} .. ${signer.notAfter}`);
      for (const [title, value] of Object.entries(signer.extensions)) lines.push(`  ${title}: ${value}`);
    }
    if ('certificateChain' in signer) lines.push(`  Signer's certificate: ${outcomeText(signer.certificateChain, chainVerified)}`);
  }
  if (s.inclusionProof) lines.push(`Inclusion proof:   index ${s.inclusionProof.logIndex} in a tree of ${s.inclusionProof.treeSize}, root ${s.inclusionProof.rootHash}`);
  if (s.attestation) lines.push(...renderAttestation(s.attestation));
  lines.push(...renderVerification(s.verification));
  return textLines(lines);
}

const CHAIN_VERIFIED = 'verified to a Fulcio CA of the trusted root at the integrated time';
const CHAIN_VERIFIED_AT_ISSUANCE = 'verified to a Fulcio CA of the trusted root at its issuance (Rekor v2 records no time of signing)';

const outcomeText = (o: ShownOutcome, verified: string) =>
  o.status === 'verified' ? verified : o.status === 'failed' ? `FAILED: ${o.code}: ${o.message}` : `not verified: ${o.reason}`;

function renderVerification(v: VerificationSummary): string[] {
  return [
    v.verified ? 'Verification:      verified against the trusted root' : 'Verification:      NOT VERIFIED against the trusted root: the entry above is only what the log claims',
    ...(v.rekorV2 ? ['  Rekor v2:        no signed entry timestamp and no time: the inclusion proof against the signed checkpoint is the log check, certificates are checked at their issuance'] : []),
    `  Log:             ${v.log ?? 'not in the trusted root'}`,
    `  Signed entry timestamp: ${outcomeText(v.signedEntryTimestamp, "verified with the log's key")}`,
    `  Inclusion proof: ${outcomeText(v.inclusionProof, 'verified against a checkpoint signed by the log')}`,
    `  Certificate chain: ${outcomeText(v.certificateChain, v.rekorV2 ? CHAIN_VERIFIED_AT_ISSUANCE : CHAIN_VERIFIED)}`,
  ];
}

function renderAttestation(a: AttestationSummary): string[] {
  const lines = [`Attestation:       ${a.note}`];
  if (a.statement) {
    lines.push(`  Statement:       ${a.statement.type}`, `  Predicate type:  ${a.statement.predicateType}`);
    for (const subject of a.statement.subjects) lines.push(`  Subject: ${subject.name} ${Object.entries(subject.digest).map(([alg, d]) => `${alg}:${d}`).join(' ')}`);
  }
  if (a.document !== undefined) lines.push(...JSON.stringify(a.document, null, 2).split('\n').map((line) => `  ${line}`));
  return lines;
}
