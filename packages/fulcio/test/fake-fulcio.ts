import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { derToPem, decodeBase64, pemToDer, utf8Decode } from '@sigil/encoding';
import { createCertificateAuthority } from '@sigil/stack';

const ca = createCertificateAuthority();

/** The key a signingCert request asks to certify, from either form. */
export function requestedKey(body: string): Uint8Array {
  const request = JSON.parse(body);
  if (request.publicKeyRequest) return pemToDer(request.publicKeyRequest.publicKey.content, 'PUBLIC KEY');
  const pem = utf8Decode(decodeBase64(request.certificateSigningRequest));
  const csr = AsnConvert.parse(pemToDer(pem, 'CERTIFICATE REQUEST'), CertificationRequest);
  return new Uint8Array(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo));
}

/** A PEM chain, leaf first, as Fulcio sends it: a leaf for `spki` from a throwaway CA. */
export function pemChain(spki: Uint8Array): string[] {
  const leaf = ca.issueLeaf({ publicKey: spki, san: { type: 'email', value: 'someone@example.com' }, issuer: 'https://issuer.example' });
  return [leaf, ...ca.chain].map((der) => derToPem(der, 'CERTIFICATE'));
}

export const caChainPem = (): string[] => ca.chain.map((der) => derToPem(der, 'CERTIFICATE'));
