import { encodeBase64 } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { sha256 } from '@sigil/crypto';
import { requestBytes, type HttpOptions } from '@sigil/http-client';
import { SignError } from './errors.js';

/**
 * An RFC 3161 timestamp over the signature (what Sigstore timestamps), from a TSA URL such as
 * `https://timestamp.sigstore.dev/api/v1/timestamp`. The JSON request form is the one every
 * Sigstore TSA accepts; the answer is a DER TimeStampResp, checked by the verifier later.
 */
export async function requestTimestamp(tsaUrl: string, signature: Uint8Array, http: HttpOptions = {}): Promise<Uint8Array> {
  try {
    const response = await requestBytes(tsaUrl, {
      ...http,
      method: 'POST',
      body: { artifactHash: encodeBase64(sha256(signature)), hashAlgorithm: 'sha256', certificates: true },
      accept: ['application/timestamp-reply', 'application/octet-stream'],
    });
    return response.body;
  } catch (err) {
    throw new SignError('SIGN_TIMESTAMP_FAILED', `timestamp authority ${tsaUrl}: ${describeError(err)}`, { cause: err });
  }
}
