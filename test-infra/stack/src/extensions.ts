// DER for the certificate extensions the CA writes. Each returns an asn1-x509 Extension,
// the form the TBS builder takes.
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { FULCIO_EXTENSIONS, type FulcioExtensionName } from '@sigil/x509';
import { parseSpki } from './certificate.js';
import { StackError } from './errors.js';

export const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';

const der = (value: object): Uint8Array => new Uint8Array(AsnConvert.serialize(value));

function extension(oid: string, critical: boolean, value: Uint8Array): X.Extension {
  return new X.Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

export const keyUsage = (...flags: (keyof typeof X.KeyUsageFlags)[]): X.Extension =>
  extension(X.id_ce_keyUsage, true, der(new X.KeyUsage(flags.reduce((bits, flag) => bits | X.KeyUsageFlags[flag], 0))));

export const codeSigningUsage = (): X.Extension => extension(X.id_ce_extKeyUsage, false, der(new X.ExtendedKeyUsage([CODE_SIGNING])));

export const basicConstraints = (ca: boolean, pathLength?: number): X.Extension =>
  extension(X.id_ce_basicConstraints, true, der(new X.BasicConstraints(pathLength === undefined ? { cA: ca } : { cA: ca, pathLenConstraint: pathLength })));

export const subjectKeyId = (keyId: Uint8Array): X.Extension => extension(X.id_ce_subjectKeyIdentifier, false, der(new X.SubjectKeyIdentifier(keyId)));

export const authorityKeyId = (keyId: Uint8Array): X.Extension =>
  extension(X.id_ce_authorityKeyIdentifier, false, der(new X.AuthorityKeyIdentifier({ keyIdentifier: new X.KeyIdentifier(keyId) })));

export type SanType = 'uri' | 'email';

/** The one SAN of a subject-less leaf: critical, as RFC 5280 requires with an empty subject. */
export const subjectAltName = (type: SanType, value: string): X.Extension =>
  extension(
    X.id_ce_subjectAltName,
    true,
    der(new X.SubjectAlternativeName([new X.GeneralName(type === 'uri' ? { uniformResourceIdentifier: value } : { rfc822Name: value })])),
  );

/** The SCT list: an OCTET STRING around the TLS-encoded list, inside extnValue. */
export const sctList = (tlsList: Uint8Array): X.Extension => extension(SCT_LIST_OID, false, der(new OctetString(tlsList)));

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits, as Go and Fulcio compute it. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(new Uint8Array(parseSpki(spki).subjectPublicKey)).digest());
}

export type FulcioExtensionValues = Partial<Record<FulcioExtensionName, string>>;

/**
 * Fulcio's Sigstore extensions in its order (by OID): the issuer twice (`.1.1` raw, `.1.8`
 * UTF8String), then every non-empty value given, non-critical. The issuer comes only from
 * `issuer`, as Fulcio takes it only from the token.
 */
export function fulcioExtensions(issuer: string, values: FulcioExtensionValues): X.Extension[] {
  for (const name of Object.keys(values)) {
    if (!FULCIO_EXTENSIONS.some((ext) => ext.name === name) || name === 'issuer' || name === 'issuerV2') {
      throw new StackError('STACK_EXTENSION_UNKNOWN', `leaf extensions: expected Fulcio extension names other than the issuer (given separately), found "${name}"`, {
        details: { name },
      });
    }
  }
  const all: FulcioExtensionValues = { ...values, issuer, issuerV2: issuer };
  return FULCIO_EXTENSIONS.flatMap((ext) => {
    const value = all[ext.name];
    if (value === undefined || value === '') return [];
    if (typeof value !== 'string') {
      throw new StackError('STACK_INPUT_INVALID', `leaf extension ${ext.name}: expected a string, found ${typeof value}`);
    }
    const bytes = ext.encoding === 'raw' ? new TextEncoder().encode(value) : new Uint8Array(new asn1js.Utf8String({ value }).toBER());
    return [extension(ext.oid, false, bytes)];
  });
}
