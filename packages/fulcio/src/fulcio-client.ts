import { encodeBase64, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { HttpClientError, requestJson, serviceBaseUrl, type HttpOptions } from '@sigil/http-client';
import { proofOfPossession, publicKeyPem, type Signer } from '@sigil/keys';
import { readConfiguration, readTrustBundle, type FulcioConfiguration } from './configuration.js';
import { FulcioError } from './errors.js';
import { checkChallenge, checkSigner, checkToken, invalid } from './input-checks.js';
import { readSigningCertificate, type SigningCertificate } from './signing-certificate.js';

export interface FulcioClientOptions extends HttpOptions {
  /** The Fulcio base URL, e.g. https://fulcio.sigstore.dev. */
  url: string;
}

export interface SigningCertificateRequest {
  /** The OIDC identity token. Sent in the request body only; never part of an error. */
  token: string;
  signer: Signer;
  /** The value of the token's challenge claim (`sub`, or `email` for email issuers): what the proof of possession signs. */
  challenge: string;
}

export interface CsrSigningCertificateRequest {
  token: string;
  signer: Signer;
  /** Optional subject common name for the CSR; Fulcio ignores it. */
  commonName?: string;
}

export interface FulcioClient {
  /** `POST /api/v2/signingCert` with the public key and a proof of possession over the challenge claim. */
  signingCertificate(request: SigningCertificateRequest): Promise<SigningCertificate>;
  /** `POST /api/v2/signingCert` with a PKCS#10 request whose self-signature is the proof of possession. */
  signingCertificateWithCsr(request: CsrSigningCertificateRequest): Promise<SigningCertificate>;
  /** `GET /api/v2/trustBundle`: the CA chains (intermediates, root), DER. */
  trustBundle(): Promise<Uint8Array[][]>;
  /** `GET /api/v2/configuration`: the issuers Fulcio accepts. */
  configuration(): Promise<FulcioConfiguration>;
}

export function createFulcioClient(options: FulcioClientOptions): FulcioClient {
  const { url, ...http } = options ?? ({} as FulcioClientOptions);
  const base = baseUrl(url);
  const endpoint = (path: string) => new URL(path, base);

  const call = async (path: string, what: string, body?: object, token?: string): Promise<unknown> => {
    try {
      const response = await requestJson(endpoint(path), { ...http, body, redact: token === undefined ? [] : [token] });
      return response.body;
    } catch (err) {
      throw httpFailure(err, what);
    }
  };

  const signingCert = async (token: string, signer: Signer, keyRequest: Record<string, unknown>): Promise<SigningCertificate> => {
    const body = { credentials: { oidcIdentityToken: token }, ...keyRequest };
    return readSigningCertificate(await call('api/v2/signingCert', 'signingCert', body, token), signer);
  };

  return {
    async signingCertificate(request) {
      const { token, signer, challenge } = request ?? ({} as SigningCertificateRequest);
      checkToken(token);
      checkSigner(signer);
      checkChallenge(challenge);
      let proof: Uint8Array;
      try {
        proof = await proofOfPossession(signer, challenge);
      } catch (err) {
        throw new FulcioError('FULCIO_SIGNING_FAILED', `proof of possession: the signer failed (${describeError(err)})`, { cause: err });
      }
      return signingCert(token, signer, {
        publicKeyRequest: {
          publicKey: { algorithm: 'ECDSA', content: publicKeyPem(signer) },
          proofOfPossession: encodeBase64(proof),
        },
      });
    },

    async signingCertificateWithCsr(request) {
      const { token, signer, commonName } = request ?? ({} as CsrSigningCertificateRequest);
      checkToken(token);
      // The ASN.1 libraries a CSR needs load only here: a CLI that never builds one skips them.
      const { createCertificationRequest } = await import('./certification-request.js');
      const csr = await createCertificationRequest(signer, commonName === undefined ? {} : { commonName });
      return signingCert(token, signer, { certificateSigningRequest: encodeBase64(utf8Encode(csr.pem)) });
    },

    async trustBundle() {
      return readTrustBundle(await call('api/v2/trustBundle', 'trustBundle'));
    },

    async configuration() {
      return readConfiguration(await call('api/v2/configuration', 'configuration'));
    },
  };
}

function baseUrl(url: unknown): URL {
  try {
    return serviceBaseUrl(url, 'Fulcio');
  } catch (err) {
    return invalid(describeError(err));
  }
}

function httpFailure(err: unknown, what: string): FulcioError {
  if (!(err instanceof HttpClientError)) return new FulcioError('FULCIO_HTTP', `Fulcio ${what}: the request failed (${describeError(err)})`, { cause: err });
  if (err.code === 'HTTP_REQUEST_INVALID') return new FulcioError('FULCIO_INPUT_INVALID', `Fulcio ${what}: ${err.message}`, { cause: err, hint: err.hint });
  // The HTTP message already ends with Fulcio's own message, when it sent one.
  return new FulcioError('FULCIO_HTTP', `Fulcio ${what}: ${err.message}`, {
    cause: err,
    details: { httpCode: err.code, ...(err.status === undefined ? {} : { status: err.status }), ...(err.serverMessage ? { serverMessage: err.serverMessage } : {}) },
    hint: hintFor(err),
  });
}

function hintFor(err: HttpClientError): string | undefined {
  if (err.status === 401 || err.status === 403) return 'Fulcio refused the identity token: check its audience (sigstore), its expiry and that Fulcio trusts its issuer.';
  if (err.status === 400) return 'Fulcio refused the request: the key, the proof of possession or the token claims.';
  return err.hint;
}
