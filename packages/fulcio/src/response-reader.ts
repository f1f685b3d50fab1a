import { Certificate } from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { pemToDer } from '@sigil/encoding';
import { JsonCursor } from '@sigil/http-client';
import { FulcioError } from './errors.js';

/** A cursor into a Fulcio answer whose every failure is FULCIO_RESPONSE_INVALID at a JSON path. */
export function fulcioResponse(value: unknown, what: string): JsonCursor {
  return JsonCursor.root(
    value,
    (reason, path, cause) =>
      new FulcioError('FULCIO_RESPONSE_INVALID', `Fulcio ${what} ${path}: ${reason}`, {
        cause,
        details: { path },
        hint: 'The server did not answer as Fulcio does; check the Fulcio URL.',
      }),
  );
}

// Real chains are leaf, intermediate, root; a PEM certificate is a few KiB.
const MAX_CHAIN_LENGTH = 10;
const MAX_PEM_LENGTH = 64 * 1024;

/** `{ certificates: [PEM, ...] }` -> DER certificates, each checked to be X.509, in order. */
export function readCertificateChain(chain: JsonCursor): Uint8Array[] {
  return chain
    .field('certificates')
    .items(1, MAX_CHAIN_LENGTH)
    .map((item) => item.decode((pem) => parseCertificate(pemToDer(pem, 'CERTIFICATE', 'certificate')).der, MAX_PEM_LENGTH));
}

export function parseCertificate(der: Uint8Array): { der: Uint8Array; certificate: Certificate } {
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch (err) {
    throw new Error(`not a DER X.509 certificate (${err instanceof Error ? err.message : 'unparseable'})`, { cause: err });
  }
  return { der, certificate };
}
