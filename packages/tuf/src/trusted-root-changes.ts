import { createHash } from 'node:crypto';
import { parseTrustedRoot, type CertificateAuthority, type TransparencyLogInstance, type TrustedRoot } from '@sigil/bundle';

export type TrustKind = 'transparency log' | 'CT log' | 'certificate authority' | 'timestamp authority';

export interface TrustChange {
  kind: TrustKind;
  change: 'added' | 'removed' | 'retired' | 'validity changed';
  /** The log's base URL and key ID, or the authority's URI and subject. */
  name: string;
  validFor: { start?: string; end?: string };
}

interface Entry {
  key: string;
  name: string;
  validFor: { start?: Date; end?: Date };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function logs(list: TransparencyLogInstance[]): Entry[] {
  return list.map((log) => ({ key: `${log.baseUrl} ${hex(log.logId)}`, name: `${log.baseUrl} (key ${hex(log.logId).slice(0, 16)}...)`, validFor: log.publicKey.validFor }));
}

function authorities(list: CertificateAuthority[]): Entry[] {
  return list.map((ca) => {
    const anchor = ca.certChain[ca.certChain.length - 1];
    const fingerprint = anchor ? createHash('sha256').update(anchor).digest('hex') : '';
    const subject = [ca.subject.organization, ca.subject.commonName].filter(Boolean).join(', ');
    return { key: `${ca.uri} ${fingerprint} ${ca.validFor.start?.toISOString() ?? ''}`, name: `${ca.uri}${subject ? ` (${subject})` : ''}`, validFor: ca.validFor };
  });
}

const iso = (range: Entry['validFor']) => ({ ...(range.start ? { start: range.start.toISOString() } : {}), ...(range.end ? { end: range.end.toISOString() } : {}) });

function compare(kind: TrustKind, before: Entry[], after: Entry[]): TrustChange[] {
  const changes: TrustChange[] = [];
  const old = new Map(before.map((e) => [e.key, e]));
  const now = new Map(after.map((e) => [e.key, e]));
  for (const entry of after) {
    const previous = old.get(entry.key);
    if (!previous) changes.push({ kind, change: 'added', name: entry.name, validFor: iso(entry.validFor) });
    else if (previous.validFor.end?.getTime() !== entry.validFor.end?.getTime() || previous.validFor.start?.getTime() !== entry.validFor.start?.getTime()) {
      changes.push({ kind, change: entry.validFor.end && !previous.validFor.end ? 'retired' : 'validity changed', name: entry.name, validFor: iso(entry.validFor) });
    }
  }
  for (const entry of before) if (!now.has(entry.key)) changes.push({ kind, change: 'removed', name: entry.name, validFor: iso(entry.validFor) });
  return changes;
}

/** What a new trusted root adds, retires (an end of validity set) or removes, by kind. */
export function trustedRootChanges(before: string | TrustedRoot, after: string | TrustedRoot): TrustChange[] {
  const a = typeof before === 'string' ? parseTrustedRoot(before) : before;
  const b = typeof after === 'string' ? parseTrustedRoot(after) : after;
  return [
    ...compare('transparency log', logs(a.tlogs), logs(b.tlogs)),
    ...compare('CT log', logs(a.ctlogs), logs(b.ctlogs)),
    ...compare('certificate authority', authorities(a.certificateAuthorities), authorities(b.certificateAuthorities)),
    ...compare('timestamp authority', authorities(a.timestampAuthorities), authorities(b.timestampAuthorities)),
  ];
}
