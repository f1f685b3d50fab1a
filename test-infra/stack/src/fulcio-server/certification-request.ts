// PKCS#10 (RFC 2986), read only as far as Fulcio needs: the key and the self-signature.
import { describeError } from '@sigil/errors';
import { der, type SignatureAlgorithm } from '@sigil/x509';
import { refuse } from './reasons.js';

const { TAG, children, contextTag, expectTag, raw, readBitString, readOid, readSmallInteger, readWhole } = der;

export interface CertificationRequest {
  /** The DER CertificationRequestInfo: what the signature covers. */
  info: Uint8Array;
  spki: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Uint8Array;
}

const MAX_CSR_SIZE = 16 * 1024;

export function parseCertificationRequest(bytes: Uint8Array): CertificationRequest {
  if (bytes.length > MAX_CSR_SIZE) refuse('FULCIO_CSR_MALFORMED', `certificateSigningRequest: expected at most ${MAX_CSR_SIZE} bytes of DER, found ${bytes.length}`);
  try {
    const [info, algorithm, signature, extra] = children(bytes, readWhole(bytes, TAG.SEQUENCE, 'CertificationRequest'), 'CertificationRequest');
    if (!info || !algorithm || !signature || extra) throw new der.DerError('CertificationRequest: expected info, signatureAlgorithm and signature');
    const [version, subject, spki, attributes, more] = children(bytes, expectTag(info, TAG.SEQUENCE, 'CertificationRequestInfo'), 'CertificationRequestInfo');
    if (!version || !subject || !spki || !attributes || more) throw new der.DerError('CertificationRequestInfo: expected version, subject, subjectPKInfo and attributes');
    if (readSmallInteger(bytes, version, 'CSR version') !== 0) throw new der.DerError('CertificationRequestInfo: expected version 0 (v1)');
    expectTag(subject, TAG.SEQUENCE, 'CSR subject');
    expectTag(spki, TAG.SEQUENCE, 'CSR subjectPKInfo');
    expectTag(attributes, contextTag(0, true), 'CSR attributes');
    const [oid, params, extraParam] = children(bytes, expectTag(algorithm, TAG.SEQUENCE, 'CSR signatureAlgorithm'), 'CSR signatureAlgorithm');
    if (!oid || extraParam) throw new der.DerError('CSR signatureAlgorithm: expected an OID and optional parameters');
    const bits = readBitString(bytes, signature, 'CSR signature');
    if (bits.unused !== 0) throw new der.DerError('CSR signature: expected whole bytes');
    return {
      info: raw(bytes, info),
      spki: raw(bytes, spki),
      signatureAlgorithm: { oid: readOid(bytes, oid, 'CSR signature algorithm'), params: params ? raw(bytes, params) : undefined },
      signature: bits.bits,
    };
  } catch (err) {
    refuse('FULCIO_CSR_MALFORMED', `certificateSigningRequest: not a DER PKCS#10 request (${describeError(err)})`);
  }
}
