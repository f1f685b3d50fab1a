// The key an entry is checked with: Rekor's "publicKey.content" / dsse "verifiers[]", base64 of
// PEM text holding one PUBLIC KEY or a CERTIFICATE chain, leaf first.
import { importPublicKey, type PublicKey } from '@sigil/crypto';
import { decodeBase64, decodePemBlocks, typeOf, utf8Decode, type PemBlock } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { parseCertificate } from '@sigil/x509';
import { HttpError } from '../http/index.js';
import { refusal } from './reasons.js';
import type { CertificateTrust } from './certificate-trust.js';
import { cachedReads } from './service-setup.js';

export interface EntryVerifier {
  /** The PEM text as sent; the body builders re-encode it canonically. */
  pem: string;
  key: PublicKey;
}

const MAX_PEM_BLOCKS = 10;

export type VerifierReader = (content: unknown, what: string) => EntryVerifier;

export function createVerifierReader(trust: CertificateTrust | undefined): VerifierReader {
  const cached = cachedReads<EntryVerifier>();
  return (content, what) => {
    if (typeof content !== 'string' || content.length === 0) throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected base64 of PEM text, found ${typeOf(content)}`);
    const snapshot = trust?.current();
    return cached(`${what} ${snapshot?.id ?? ''} ${content}`, () => readVerifier(content, what, (certificate) => snapshot && trust!.check(certificate, snapshot)));
  };
}

function readVerifier(content: string, what: string, checkTrust: (certificate: ReturnType<typeof parseCertificate>) => void): EntryVerifier {
  let pem: string;
  let blocks: PemBlock[];
  try {
    pem = utf8Decode(decodeBase64(content, what));
    blocks = decodePemBlocks(pem, what);
  } catch (err) {
    throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected base64 of PEM text (${describeError(err)})`);
  }
  const labels = blocks.map((block) => block.label);
  if (blocks.length > MAX_PEM_BLOCKS) throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected at most ${MAX_PEM_BLOCKS} PEM blocks, found ${blocks.length}`);
  if (labels.length === 1 && labels[0] === 'PUBLIC KEY') {
    try {
      return { pem, key: importPublicKey(blocks[0]!.der, what) };
    } catch (err) {
      throw refusal('REKOR_KEY_UNSUPPORTED', `${what}: expected a supported public key (${describeError(err)})`);
    }
  }
  if (!labels.every((label) => label === 'CERTIFICATE')) {
    throw refusal('REKOR_KEY_UNSUPPORTED', `${what}: expected one PUBLIC KEY or a CERTIFICATE chain, found ${labels.join(', ')}`);
  }
  let certificate: ReturnType<typeof parseCertificate>;
  let key: PublicKey;
  try {
    certificate = parseCertificate(blocks[0]!.der, what);
    key = certificate.publicKey;
  } catch (err) {
    throw refusal('REKOR_KEY_UNSUPPORTED', `${what}: expected an X.509 certificate with a supported key (${describeError(err)})`);
  }
  try {
    checkTrust(certificate);
  } catch (err) {
    throw err instanceof HttpError ? new HttpError(err.status, `${what}: ${err.message}`, err.headers, err.reason) : err;
  }
  return { pem, key };
}
