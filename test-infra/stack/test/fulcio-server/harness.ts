// One loopback server with three OIDC issuers (GitLab, GitHub, e-mail), a rogue issuer
// Fulcio does not trust, and Fulcio itself; plus the client side: ephemeral keys, proofs and CSRs.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import * as X from '@peculiar/asn1-x509';
import { fromKeyObject } from '@sigil/crypto';
import { derToPem, encodeBase64, pemToDer } from '@sigil/encoding';
import { parseCertificate, type Certificate, type CtLog } from '@sigil/x509';
import { createFulcioService, type FulcioService } from '../../src/fulcio-server/index.js';
import { createOidcIssuer, type MintOptions, type OidcIssuer } from '../../src/oidc-server/index.js';
import { postJson, serveRoutes, temporaryDirectory } from '../support/serve-routes.js';

export interface Harness {
  base: string;
  dir: string;
  gitlab: OidcIssuer;
  github: OidcIssuer;
  email: OidcIssuer;
  rogue: OidcIssuer;
  fulcio: FulcioService;
  /** Restarts Fulcio on the same state dir (same issuers) and serves the new one. */
  restartFulcio(): FulcioService;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server = await serveRoutes();
  const state = temporaryDirectory('fulcio');
  const base = server.url;
  const issuer = (name: string) => createOidcIssuer({ dir: join(state.dir, name), issuerUrl: `${base}/${name}` });
  const [gitlab, github, email, rogue] = ['gitlab', 'github', 'email', 'rogue'].map(issuer) as [OidcIssuer, OidcIssuer, OidcIssuer, OidcIssuer];
  const makeFulcio = () =>
    createFulcioService({
      dir: join(state.dir, 'fulcio'),
      issuers: [
        { url: gitlab.issuerUrl, type: 'gitlab' },
        { url: github.issuerUrl, type: 'github' },
        { url: email.issuerUrl, type: 'email' },
        // Trusted, but nothing answers there: its discovery fails.
        { url: `${base}/vanished`, type: 'gitlab' },
      ],
    });
  const harness: Harness = {
    base,
    dir: state.dir,
    gitlab,
    github,
    email,
    rogue,
    fulcio: makeFulcio(),
    restartFulcio() {
      harness.fulcio = makeFulcio();
      serveAll();
      return harness.fulcio;
    },
    async close() {
      await server.close();
      state.remove();
    },
  };
  const serveAll = () => server.setRoutes([...gitlab.routes, ...github.routes, ...email.routes, ...rogue.routes, ...harness.fulcio.routes]);
  serveAll();
  return harness;
}

export interface Ephemeral {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
  spki: Uint8Array;
  /** Base64 DER signature over the text, with the key's usual hash. */
  prove(text: string): string;
}

export function ephemeralKey(type: 'P-256' | 'P-384' | 'ed25519' | 'rsa2048' | 'rsa1024' = 'P-256'): Ephemeral {
  const pair =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : type.startsWith('rsa')
        ? generateKeyPairSync('rsa', { modulusLength: Number(type.slice(3)) })
        : generateKeyPairSync('ec', { namedCurve: type });
  const hash = type === 'ed25519' ? null : type === 'P-384' ? 'sha384' : 'sha256';
  const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  return {
    ...pair,
    pem,
    spki: pemToDer(pem, 'PUBLIC KEY'),
    prove: (text) => encodeBase64(new Uint8Array(sign(hash, Buffer.from(text), pair.privateKey))),
  };
}

/** base64 of a PEM PKCS#10 request for the key, signed by it (or by `signer`, to break it). */
export function certificationRequest(key: Ephemeral, signer: KeyObject = key.privateKey): string {
  const info = new CertificationRequestInfo({ subject: new X.Name([]), subjectPKInfo: AsnConvert.parse(key.spki, X.SubjectPublicKeyInfo) });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  const ed25519 = signer.asymmetricKeyType === 'ed25519';
  const signature = new Uint8Array(sign(ed25519 ? null : 'sha256', infoDer, signer));
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new X.AlgorithmIdentifier({ algorithm: ed25519 ? '1.3.101.112' : '1.2.840.10045.4.3.2' }),
    signature: signature.buffer,
  });
  return encodeBase64(new TextEncoder().encode(derToPem(new Uint8Array(AsnConvert.serialize(csr)), 'CERTIFICATE REQUEST')));
}

/** POST /api/v2/signingCert with a public key and a proof over `challenge`. */
export function requestWithKey(base: string, token: string | undefined, key: Ephemeral, challenge: string) {
  return postJson(`${base}/api/v2/signingCert`, {
    ...(token === undefined ? {} : { credentials: { oidcIdentityToken: token } }),
    publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: key.pem }, proofOfPossession: key.prove(challenge) },
  });
}

export async function mint(issuer: OidcIssuer, options: MintOptions = {}): Promise<{ token: string; claims: Record<string, any> }> {
  const token = await issuer.mint(options);
  return { token, claims: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) };
}

/** The response's chain, parsed: leaf, intermediate, root. */
export function chainOf(body: any): Certificate[] {
  return body.signedCertificateEmbeddedSct.chain.certificates.map((pem: string) => parseCertificate(pemToDer(pem, 'CERTIFICATE')));
}

export function ctLogsOf(fulcio: FulcioService): CtLog[] {
  return [{ logId: fulcio.ctLog.logId, publicKey: fromKeyObject(fulcio.ctLog.key.publicKey), validFor: { start: new Date(0) } }];
}
