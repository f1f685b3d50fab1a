import { pemToDer } from '@sigil/encoding';
import { JsonCursor } from '@sigil/http-client';
import { certificateSpki } from './certificate-shape.js';
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

export interface CertificateDer {
  der: Uint8Array;
  spki: Uint8Array;
}

/** `{ certificates: [PEM, ...] }` -> DER certificates in order, each checked to have the outline of X.509. */
export function readCertificateChain(chain: JsonCursor): CertificateDer[] {
  return chain
    .field('certificates')
    .items(1, MAX_CHAIN_LENGTH)
    .map((item) =>
      item.decode((pem) => {
        const der = pemToDer(pem, 'CERTIFICATE', 'certificate');
        return { der, spki: certificateSpki(der) };
      }, MAX_PEM_LENGTH),
    );
}
