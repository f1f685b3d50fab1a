// PEM, DER and X.509: @sigil/encoding's PEM reader, @sigil/x509's certificate reader (every
// field and the Fulcio extensions) and @sigil/tsa's RFC 3161 token reader over the same bytes.
import { decodePemBlocks, derToPem, pemToDer, bytesEqual } from '@sigil/encoding';
import { parseTimestampToken } from '@sigil/tsa';
import { certificateIdentity, fulcioExtensions, parseCertificate, type Certificate } from '@sigil/x509';
import { typedOnly, violated } from '../typed-only.js';

export function fuzz(data: Buffer): void {
  const bytes = new Uint8Array(data);
  readCertificate(bytes);
  typedOnly(() => parseTimestampToken(bytes));
  const blocks = typedOnly(() => decodePemBlocks(data.toString('latin1'))) ?? [];
  for (const block of blocks) {
    // What was read from PEM writes back to PEM that reads as the same DER.
    if (!bytesEqual(pemToDer(derToPem(block.der, block.label), block.label), block.der)) violated(`PEM round trip of a ${block.label} block`);
    readCertificate(block.der);
  }
}

function readCertificate(der: Uint8Array): void {
  const certificate = typedOnly(() => parseCertificate(der));
  if (!certificate) return;
  typedOnly(() => touch(certificate));
  typedOnly(() => fulcioExtensions(certificate));
  typedOnly(() => certificateIdentity(certificate));
}

/** Reads every lazily decoded field: each must decode or fail typed. */
function touch(certificate: Certificate): unknown[] {
  return [
    certificate.issuer, certificate.subject, certificate.notBefore, certificate.notAfter, certificate.basicConstraints,
    certificate.keyUsage, certificate.extendedKeyUsage, certificate.subjectAltNames, certificate.subjectKeyId,
    certificate.authorityKeyId, certificate.extensions, certificate.publicKey,
  ];
}
