import { parseTrustedRoot, type CertificateAuthority, type TransparencyLogInstance, type TrustedRoot } from '@sigil/bundle';
import { importPublicKey, type PublicKey } from '@sigil/crypto';
import { bytesEqual, encodeBase64 } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { parseCertificate, rememberBuiltInChain, type Certificate } from '@sigil/x509';
import { TrustError } from './errors.js';
import type { ValidityWindow } from './validity.js';

/** A transparency log or CT log key from the trusted root, ready to verify with. */
export interface LogAuthority {
  logId: Uint8Array;
  baseUrl: string;
  /** The base URL without scheme: Rekor v1 checkpoints are signed under this name. */
  host: string;
  /** The base URL's host name alone (no port, no path): Rekor v2 checkpoints are signed under it, as sigstore-go checks. */
  hostname: string;
  /** Undefined when the root lists a key Sigil cannot use; such a log verifies nothing. */
  publicKey: PublicKey | undefined;
  validFor: ValidityWindow;
  checkpointKeyId: Uint8Array | undefined;
  operator: string | undefined;
}

/** A Fulcio CA or a TSA: its trusted chain (anchor last) and when it may be relied on. */
export interface CertificateAuthorityTrust {
  uri: string;
  chain: Certificate[];
  validFor: ValidityWindow;
  operator: string | undefined;
}

export type TrustPart = 'tlogs' | 'ctlogs' | 'certificateAuthorities' | 'timestampAuthorities';

// Set by TrustMaterial's static block: the factory behind builtInTrustMaterial, which may call
// the private constructor.
let buildBuiltIn: (root: TrustedRoot) => TrustMaterial;

/**
 * Everything a verifier trusts, decoded once: log keys imported, CA chains parsed.
 * Build it once and reuse it across bundles.
 */
export class TrustMaterial {
  private constructor(
    readonly mediaType: string,
    readonly tlogs: readonly LogAuthority[],
    readonly ctlogs: readonly LogAuthority[],
    readonly certificateAuthorities: readonly CertificateAuthorityTrust[],
    readonly timestampAuthorities: readonly CertificateAuthorityTrust[],
  ) {}

  static fromTrustedRoot(root: TrustedRoot): TrustMaterial {
    return TrustMaterial.build(root, false);
  }

  static {
    buildBuiltIn = (root) => TrustMaterial.build(root, true);
  }

  private static build(root: TrustedRoot, builtIn: boolean): TrustMaterial {
    return new TrustMaterial(
      root.mediaType,
      root.tlogs.map((log, i) => toLogAuthority(log, `tlogs[${i}]`)),
      root.ctlogs.map((log, i) => toLogAuthority(log, `ctlogs[${i}]`)),
      root.certificateAuthorities.map((ca, i) => toAuthority(ca, `certificateAuthorities[${i}]`, builtIn)),
      root.timestampAuthorities.map((ca, i) => toAuthority(ca, `timestampAuthorities[${i}]`, builtIn)),
    );
  }

  /**
   * This material with the named parts taken from `other` instead: cosign's SIGSTORE_*
   * variables each replace one part of the default trust (the Rekor key, the CT log key,
   * the Fulcio roots, the TSA chain) and leave the others.
   */
  withPartsOf(other: TrustMaterial, parts: readonly TrustPart[]): TrustMaterial {
    const pick = <K extends TrustPart>(part: K): TrustMaterial[K] => (parts.includes(part) ? other[part] : this[part]);
    return new TrustMaterial(this.mediaType, pick('tlogs'), pick('ctlogs'), pick('certificateAuthorities'), pick('timestampAuthorities'));
  }

  /** Decodes every key and certificate now, so that a broken trusted root fails at load time. */
  validate(): this {
    for (const authority of [...this.certificateAuthorities, ...this.timestampAuthorities]) void authority.chain;
    return this;
  }

  /** Parses trusted_root.json text (or its parsed object) into trust material. */
  static fromJson(input: string | unknown): TrustMaterial {
    return TrustMaterial.fromTrustedRoot(parseTrustedRoot(input));
  }

  /** The transparency logs whose ID (or checkpoint key ID) equals `logId`. */
  tlogsById(logId: Uint8Array): LogAuthority[] {
    return this.tlogs.filter((log) => bytesEqual(log.logId, logId) || (log.checkpointKeyId !== undefined && bytesEqual(log.checkpointKeyId, logId)));
  }

  ctlogsById(logId: Uint8Array): LogAuthority[] {
    return this.ctlogs.filter((log) => bytesEqual(log.logId, logId));
  }
}

/**
 * Sigil's own embedded root, whose CA chains a test verifies (rememberBuiltInChain): their links
 * are remembered, not verified again. For publicGoodTrustMaterial only; not exported from the
 * package, so that no other root can skip those checks.
 */
export function builtInTrustMaterial(root: TrustedRoot): TrustMaterial {
  return buildBuiltIn(root);
}

// Keys and certificates are decoded on first use: a one-shot `sigil verify-blob` needs one
// log, one CT log and one CA of the several a public-good root lists.
function toLogAuthority(log: TransparencyLogInstance, path: string): LogAuthority {
  let publicKey: PublicKey | undefined | null = null;
  return {
    logId: log.logId,
    baseUrl: log.baseUrl,
    host: log.baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, ''),
    hostname: hostnameOf(log.baseUrl),
    get publicKey() {
      if (publicKey === null) publicKey = importLogKey(log, path);
      return publicKey;
    },
    validFor: log.publicKey.validFor,
    checkpointKeyId: log.checkpointKeyId,
    operator: log.operator,
  };
}

function hostnameOf(baseUrl: string): string {
  const authority = baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0]!;
  const bracketed = /^\[([^\]]*)\]/.exec(authority);
  return bracketed ? bracketed[1]! : authority.replace(/:[0-9]*$/, '');
}

function importLogKey(log: TransparencyLogInstance, path: string): PublicKey | undefined {
  if (!log.publicKey.rawBytes) return undefined;
  try {
    return importPublicKey(log.publicKey.rawBytes, `trusted root ${path}.publicKey`);
  } catch {
    // A key we cannot import verifies nothing; the entries that name it then fail closed.
    return undefined;
  }
}

function toAuthority(ca: CertificateAuthority, path: string, builtIn: boolean): CertificateAuthorityTrust {
  if (ca.certChain.length === 0) {
    throw new TrustError('TRUST_ROOT_INVALID', `trusted root ${path}.certChain: expected at least one certificate, found none`, { details: { path } });
  }
  let chain: Certificate[] | undefined;
  return {
    uri: ca.uri,
    // Parsed on first use; a broken certificate still fails closed, naming where it is.
    get chain() {
      if (!chain) {
        chain = ca.certChain.map((der, i) => parseTrustedCertificate(der, `${path}.certChain.certificates[${i}]`));
        if (builtIn) rememberBuiltInChain(chain);
      }
      return chain;
    },
    validFor: ca.validFor,
    operator: ca.operator,
  };
}

function parseTrustedCertificate(der: Uint8Array, path: string): Certificate {
  try {
    return parseCertificate(der);
  } catch (err) {
    throw new TrustError('TRUST_ROOT_INVALID', `trusted root ${path}: expected a DER certificate, found one that does not parse (${describeError(err)})`, {
      cause: err,
      details: { path, rawBytes: encodeBase64(der).slice(0, 32) },
    });
  }
}
