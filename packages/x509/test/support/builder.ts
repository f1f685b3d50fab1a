// Builds test certificates with @peculiar/asn1-x509 and signs them with node:crypto, so that
// each path-validation rule can be broken one at a time.
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';

export type KeyType = 'p256' | 'p384' | 'p521' | 'rsa' | 'ed25519' | 'secp256k1';
export type SignatureKind = 'ecdsa-sha256' | 'ecdsa-sha384' | 'ecdsa-sha512' | 'rsa-sha256' | 'rsa-pss-sha256' | 'ed25519' | 'rsa-sha1';

export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  spki: Uint8Array;
}

export function generateKey(type: KeyType = 'p256'): KeyPair {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1', secp256k1: 'secp256k1' }[type] });
  return { ...pair, spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })) };
}

export interface ExtensionSpec {
  oid: string;
  critical?: boolean;
  value: Uint8Array;
}

export interface CertSpec {
  subject: string;
  /** Defaults to the subject (self-signed). */
  issuer?: string;
  key: KeyPair;
  /** Defaults to `key` (self-signed). */
  signer?: KeyPair;
  signature?: SignatureKind;
  /** Overrides the outer signature algorithm OID only. */
  outerSignatureOid?: string;
  notBefore?: Date;
  notAfter?: Date;
  serial?: number;
  extensions?: ExtensionSpec[];
}

const SIGNATURE_OIDS: Record<SignatureKind, string> = {
  'ecdsa-sha256': '1.2.840.10045.4.3.2',
  'ecdsa-sha384': '1.2.840.10045.4.3.3',
  'ecdsa-sha512': '1.2.840.10045.4.3.4',
  'rsa-sha256': '1.2.840.113549.1.1.11',
  'rsa-pss-sha256': '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  'rsa-sha1': '1.2.840.113549.1.1.5',
};

export const PSS_SHA256_PARAMS = hexBytes('3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120');

export function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function name(cn: string): X.Name {
  return new X.Name([new X.RelativeDistinguishedName([new X.AttributeTypeAndValue({ type: '2.5.4.3', value: new X.AttributeValue({ utf8String: cn }) })])]);
}

function algorithm(kind: SignatureKind, oid = SIGNATURE_OIDS[kind]): X.AlgorithmIdentifier {
  if (kind === 'rsa-pss-sha256') return new X.AlgorithmIdentifier({ algorithm: oid, parameters: PSS_SHA256_PARAMS.slice().buffer });
  if (kind.startsWith('rsa')) return new X.AlgorithmIdentifier({ algorithm: oid, parameters: null });
  return new X.AlgorithmIdentifier({ algorithm: oid });
}

function signWith(kind: SignatureKind, data: Uint8Array, key: KeyObject): Uint8Array {
  switch (kind) {
    case 'ed25519':
      return new Uint8Array(sign(null, data, key));
    case 'rsa-pss-sha256':
      return new Uint8Array(sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    default: {
      const hash = kind.split('-').pop()!;
      return new Uint8Array(sign(hash, data, key));
    }
  }
}

export function keyId(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(spki).digest().subarray(0, 20));
}

export function buildCertificate(spec: CertSpec): Uint8Array {
  const signer = spec.signer ?? spec.key;
  const kind = spec.signature ?? 'ecdsa-sha256';
  const tbs = new X.TBSCertificate({
    version: X.Version.v3,
    serialNumber: Uint8Array.of(1, (spec.serial ?? 1) & 0x7f).buffer,
    signature: algorithm(kind),
    issuer: name(spec.issuer ?? spec.subject),
    validity: new X.Validity({ notBefore: spec.notBefore ?? new Date('2025-01-01T00:00:00Z'), notAfter: spec.notAfter ?? new Date('2030-01-01T00:00:00Z') }),
    subject: name(spec.subject),
    subjectPublicKeyInfo: AsnConvert.parse(spec.key.spki, X.SubjectPublicKeyInfo),
  });
  if (spec.extensions?.length) {
    tbs.extensions = new X.Extensions(
      spec.extensions.map((ext) => new X.Extension({ extnID: ext.oid, critical: ext.critical ?? false, extnValue: new OctetString(ext.value) })),
    );
  }
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const cert = new X.Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm(kind, spec.outerSignatureOid),
    signatureValue: signWith(kind, tbsDer, signer.privateKey).slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

const der = (value: object): Uint8Array => new Uint8Array(AsnConvert.serialize(value));

export const ext = {
  basicConstraints: (ca: boolean, pathLength?: number): ExtensionSpec => ({
    oid: '2.5.29.19',
    critical: true,
    value: der(new X.BasicConstraints(pathLength === undefined ? { cA: ca } : { cA: ca, pathLenConstraint: pathLength })),
  }),
  keyUsage: (...flags: (keyof typeof X.KeyUsageFlags)[]): ExtensionSpec => ({
    oid: '2.5.29.15',
    critical: true,
    value: der(new X.KeyUsage(flags.reduce((n, f) => n | X.KeyUsageFlags[f], 0))),
  }),
  extKeyUsage: (critical: boolean, ...oids: string[]): ExtensionSpec => ({ oid: '2.5.29.37', critical, value: der(new X.ExtendedKeyUsage(oids)) }),
  san: (...names: X.GeneralName[]): ExtensionSpec => ({ oid: '2.5.29.17', critical: true, value: der(new X.SubjectAlternativeName(names)) }),
  subjectKeyId: (key: KeyPair): ExtensionSpec => ({ oid: '2.5.29.14', value: der(new X.SubjectKeyIdentifier(keyId(key.spki))) }),
  authorityKeyId: (key: KeyPair): ExtensionSpec => ({
    oid: '2.5.29.35',
    value: der(new X.AuthorityKeyIdentifier({ keyIdentifier: new X.KeyIdentifier(keyId(key.spki)) })),
  }),
  raw: (oid: string, value: Uint8Array, critical = false): ExtensionSpec => ({ oid, critical, value }),
};

export const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
export const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** A root, an intermediate and a leaf shaped like Fulcio's, each overridable. */
export function fulcioLikeChain(overrides: { root?: Partial<CertSpec>; intermediate?: Partial<CertSpec>; leaf?: Partial<CertSpec> } = {}) {
  const rootKey = generateKey('p384');
  const intermediateKey = generateKey('p384');
  const leafKey = generateKey('p256');
  const root = buildCertificate({
    subject: 'test-root',
    key: rootKey,
    signature: 'ecdsa-sha384',
    extensions: [ext.basicConstraints(true, 1), ext.keyUsage('keyCertSign', 'cRLSign'), ext.subjectKeyId(rootKey)],
    ...overrides.root,
  });
  const intermediate = buildCertificate({
    subject: 'test-intermediate',
    issuer: 'test-root',
    key: intermediateKey,
    signer: rootKey,
    signature: 'ecdsa-sha384',
    extensions: [
      ext.basicConstraints(true, 0),
      ext.keyUsage('keyCertSign', 'cRLSign'),
      ext.extKeyUsage(false, CODE_SIGNING),
      ext.subjectKeyId(intermediateKey),
      ext.authorityKeyId(rootKey),
    ],
    ...overrides.intermediate,
  });
  const leaf = buildCertificate({
    subject: 'test-leaf',
    issuer: 'test-intermediate',
    key: leafKey,
    signer: intermediateKey,
    signature: 'ecdsa-sha384',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:10:00Z'),
    extensions: [
      ext.keyUsage('digitalSignature'),
      ext.extKeyUsage(false, CODE_SIGNING),
      ext.san(new X.GeneralName({ rfc822Name: 'signer@example.com' })),
      ext.subjectKeyId(leafKey),
      ext.authorityKeyId(intermediateKey),
    ],
    ...overrides.leaf,
  });
  return { root, intermediate, leaf, rootKey, intermediateKey, leafKey };
}
