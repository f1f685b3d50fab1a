import { AsnConvert } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';
import { importPublicKey } from '@sigil/crypto';
import { describeError } from '@sigil/errors';
import { bytesEqual, typeOf } from '@sigil/encoding';
import { checkBytes, checkDate, checkString, invalid, wholeSeconds } from './checks.js';
import { encodeTbs, name, signCertificate, tbsCertificate, type DistinguishedName } from './certificate.js';
import type { CtLog } from './ct-log.js';
import {
  authorityKeyId,
  basicConstraints,
  codeSigningUsage,
  fulcioExtensions,
  keyIdentifier,
  keyUsage,
  sctList,
  subjectAltName,
  subjectKeyId,
  type FulcioExtensionValues,
  type SanType,
} from './extensions.js';
import { generateSigningKey, type SigningKey } from './keys.js';
import { encodeSctList } from './sct.js';

export interface ValidityWindow {
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthorityOptions {
  /** Default `sigil.local`. */
  organization?: string;
  /** Default `sigil-root`. */
  rootCommonName?: string;
  /** Default `sigil-intermediate`. */
  intermediateCommonName?: string;
  /** The root's validity; default from a year ago for ten years. */
  rootValidity?: Partial<ValidityWindow>;
  /** The intermediate's validity; default the root's. */
  intermediateValidity?: Partial<ValidityWindow>;
  /** P-384 keys to certify instead of fresh ones (a CA kept on disk). */
  keys?: { root: SigningKey; intermediate: SigningKey };
  /** DER certificates made earlier for `keys`: reused as they are, names and validity included. */
  certificates?: { root: Uint8Array; intermediate: Uint8Array };
}

export interface LeafRequest {
  /** DER SPKI of the signer's (ephemeral) key. */
  publicKey: Uint8Array;
  san: { type: SanType; value: string };
  /** The OIDC issuer, written to `.1.1` and `.1.8`. */
  issuer: string;
  /** The other Sigstore extensions by name (`sourceRepositoryURI`, ...); empty values are left out. */
  extensions?: FulcioExtensionValues;
  /** Default now. */
  notBefore?: Date;
  /** Default 600 (Fulcio's ten minutes). */
  lifetimeSeconds?: number;
  /** CT logs whose SCTs are embedded (each signs the precertificate); none: no SCT list. */
  ctLogs?: readonly CtLog[];
}

/** Fulcio's CA: a P-384 root and a P-384 intermediate that issues the leaves. */
export interface CertificateAuthority {
  readonly root: Uint8Array;
  readonly intermediate: Uint8Array;
  /** Intermediate first, root last: a trusted root's `certChain`. */
  readonly chain: readonly Uint8Array[];
  readonly rootKey: SigningKey;
  readonly intermediateKey: SigningKey;
  readonly subject: DistinguishedName;
  readonly validity: ValidityWindow;
  /** A Fulcio leaf with embedded SCTs, as DER. */
  issueLeaf(request: LeafRequest): Uint8Array;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function createCertificateAuthority(options: CertificateAuthorityOptions = {}): CertificateAuthority {
  const rootKey = options.keys?.root ?? generateSigningKey('P-384');
  const intermediateKey = options.keys?.intermediate ?? generateSigningKey('P-384');
  for (const key of [rootKey, intermediateKey]) {
    if (key?.curve !== 'P-384') invalid(`CA keys: expected ECDSA P-384 signing keys, found ${typeOf(key?.curve)}`);
  }
  const certificates = options.certificates ? restoreCertificates(options.certificates, rootKey, intermediateKey) : makeCertificates(options, rootKey, intermediateKey);
  const intermediateKeyId = keyIdentifier(intermediateKey.spki);
  return {
    root: certificates.root,
    intermediate: certificates.intermediate,
    chain: [certificates.intermediate, certificates.root],
    rootKey,
    intermediateKey,
    subject: distinguishedName(certificates.intermediateSubject),
    validity: certificates.validity,
    issueLeaf(request) {
      return issueLeaf(request, { name: certificates.intermediateSubject, key: intermediateKey, keyId: intermediateKeyId });
    },
  };
}

interface CaCertificates {
  root: Uint8Array;
  intermediate: Uint8Array;
  intermediateSubject: X.Name;
  validity: ValidityWindow;
}

function makeCertificates(options: CertificateAuthorityOptions, rootKey: SigningKey, intermediateKey: SigningKey): CaCertificates {
  const organization = checkString(options.organization ?? 'sigil.local', 'CA organization');
  const rootName = { organization, commonName: checkString(options.rootCommonName ?? 'sigil-root', 'root common name') };
  const intermediateName = { organization, commonName: checkString(options.intermediateCommonName ?? 'sigil-intermediate', 'intermediate common name') };
  const rootValidity = validityWindow(options.rootValidity, defaultValidity(), 'root validity');
  const intermediateValidity = validityWindow(options.intermediateValidity, rootValidity, 'intermediate validity');
  const rootKeyId = keyIdentifier(rootKey.spki);

  const root = signCertificate(
    tbsCertificate({
      issuer: name(rootName),
      subject: name(rootName),
      ...rootValidity,
      spki: rootKey.spki,
      signer: rootKey,
      extensions: [keyUsage('keyCertSign', 'cRLSign'), basicConstraints(true, 1), subjectKeyId(rootKeyId)],
    }),
    rootKey,
  );
  const intermediate = signCertificate(
    tbsCertificate({
      issuer: name(rootName),
      subject: name(intermediateName),
      ...intermediateValidity,
      spki: intermediateKey.spki,
      signer: rootKey,
      extensions: [
        keyUsage('keyCertSign', 'cRLSign'),
        codeSigningUsage(),
        basicConstraints(true, 0),
        subjectKeyId(keyIdentifier(intermediateKey.spki)),
        authorityKeyId(rootKeyId),
      ],
    }),
    rootKey,
  );
  return { root, intermediate, intermediateSubject: name(intermediateName), validity: rootValidity };
}

/** Certificates from an earlier start: they must certify the keys given with them. */
function restoreCertificates(given: { root: Uint8Array; intermediate: Uint8Array }, rootKey: SigningKey, intermediateKey: SigningKey): CaCertificates {
  const root = parseCaCertificate(given.root, rootKey, 'CA root certificate');
  const intermediate = parseCaCertificate(given.intermediate, intermediateKey, 'CA intermediate certificate');
  const { notBefore, notAfter } = root.tbsCertificate.validity;
  return {
    root: given.root,
    intermediate: given.intermediate,
    intermediateSubject: intermediate.tbsCertificate.subject,
    validity: { notBefore: notBefore.getTime(), notAfter: notAfter.getTime() },
  };
}

function parseCaCertificate(der: Uint8Array, key: SigningKey, what: string): X.Certificate {
  let cert: X.Certificate;
  try {
    cert = AsnConvert.parse(checkBytes(der, what), X.Certificate);
  } catch (err) {
    invalid(`${what}: expected a DER certificate (${describeError(err)})`);
  }
  if (!bytesEqual(new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo)), key.spki)) {
    invalid(`${what}: expected it to certify the CA key given with it, found another key`);
  }
  return cert;
}

/** O and CN of a name, as the trusted root's `subject` lists them. */
function distinguishedName(subject: X.Name): DistinguishedName {
  const out: DistinguishedName = {};
  for (const attribute of subject.flatMap((rdn) => [...rdn])) {
    const text = attribute.value.toString();
    if (attribute.type === '2.5.4.10') out.organization = text;
    if (attribute.type === '2.5.4.3') out.commonName = text;
  }
  return out;
}

function issueLeaf(request: LeafRequest, issuer: { name: X.Name; key: SigningKey; keyId: Uint8Array }): Uint8Array {
  if (typeof request !== 'object' || request === null) invalid(`leaf request: expected an object, found ${typeOf(request)}`);
  const spki = checkBytes(request.publicKey, 'leaf publicKey');
  try {
    importPublicKey(spki, 'leaf publicKey');
  } catch (err) {
    invalid(`leaf publicKey: expected a DER SubjectPublicKeyInfo of a supported key (${describeError(err)})`);
  }
  const san = request.san ?? ({} as LeafRequest['san']);
  if (san.type !== 'uri' && san.type !== 'email') invalid(`leaf san.type: expected "uri" or "email", found ${String(san.type)}`);
  checkString(san.value, 'leaf san.value');
  const oidcIssuer = checkString(request.issuer, 'leaf issuer');
  const notBefore = wholeSeconds(checkDate(request.notBefore ?? new Date(), 'leaf notBefore'));
  const lifetime = request.lifetimeSeconds ?? 600;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) invalid(`leaf lifetimeSeconds: expected a positive integer, found ${String(lifetime)}`);
  const ctLogs = request.ctLogs ?? [];
  if (!Array.isArray(ctLogs)) invalid(`leaf ctLogs: expected an array, found ${typeOf(ctLogs)}`);

  // Go's order, which Fulcio's leaves show: KU, EKU, SKID, AKID, SAN, then the Sigstore extensions.
  const tbs = tbsCertificate({
    issuer: issuer.name,
    subject: name(),
    notBefore,
    notAfter: new Date(notBefore.getTime() + lifetime * 1000),
    spki,
    signer: issuer.key,
    extensions: [
      keyUsage('digitalSignature'),
      codeSigningUsage(),
      subjectKeyId(keyIdentifier(spki)),
      authorityKeyId(issuer.keyId),
      subjectAltName(san.type, san.value),
      ...fulcioExtensions(oidcIssuer, request.extensions ?? {}),
    ],
  });
  if (ctLogs.length > 0) {
    // The precertificate's TBS is this one (its poison extension aside); the SCT list goes last,
    // so a verifier that removes it re-encodes exactly these bytes.
    const precertificateTbs = encodeTbs(tbs);
    const scts = ctLogs.map((log) => log.timestampPrecertificate({ tbs: precertificateTbs, issuerSpki: issuer.key.spki, time: notBefore }));
    tbs.extensions!.push(sctList(encodeSctList(scts)));
  }
  return signCertificate(tbs, issuer.key);
}

function defaultValidity(): ValidityWindow {
  const notBefore = wholeSeconds(new Date(Date.now() - YEAR_MS));
  return { notBefore, notAfter: new Date(notBefore.getTime() + 10 * YEAR_MS) };
}

function validityWindow(given: Partial<ValidityWindow> | undefined, fallback: ValidityWindow, what: string): ValidityWindow {
  const notBefore = wholeSeconds(checkDate(given?.notBefore ?? fallback.notBefore, `${what} notBefore`));
  const notAfter = wholeSeconds(checkDate(given?.notAfter ?? fallback.notAfter, `${what} notAfter`));
  if (notAfter <= notBefore) invalid(`${what}: expected notAfter after notBefore, found ${notBefore.toISOString()} to ${notAfter.toISOString()}`);
  return { notBefore, notAfter };
}
