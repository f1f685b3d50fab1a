import { parseStatement, preAuthEncoding, type Envelope } from '@sigil/bundle';
import { keyDetailsOf, sha256 } from '@sigil/crypto';
import { encodeBase64 } from '@sigil/encoding';
import type { Signer } from '@sigil/keys';
import { IN_TOTO_PAYLOAD_TYPE, artifactFromBytes, artifactFromDigests, type Artifact } from '@sigil/verify';
import type { BundleContent, TransparencyLogEntry } from '@sigil/bundle';
import type { RawVerifier } from '@sigil/rekor';
import { hashArtifact, type SignableArtifact } from './artifact.js';
import { SignError } from './errors.js';
import { sealBundle, type SealOptions } from './seal-bundle.js';
import type { SignResult } from './sign-blob.js';
import { digestsOfASubject } from './sign-dsse.js';
import { logEnvelope, logSignature } from './transparency-log.js';
import { logEnvelopeV2, logSignatureV2 } from './transparency-log-v2.js';
import { logServices, logToEach, timestampAuthorities } from './transparency-logs.js';
import { rekorV2WithoutTimestamp } from './untimed-log.js';

export interface KeySignOptions extends SealOptions {
  /** A long-lived key (a cosign key file's), not an ephemeral one: no certificate, no token. */
  signer: Signer;
  /** cosign's --tlog-upload: false signs without a log entry, and then needs a timestamp. Default true. */
  tlogUpload?: boolean;
}

export type KeySignResult = Pick<SignResult, 'bundleJson' | 'bundle' | 'signature'> & { publicKey: Uint8Array };

/**
 * Signs a blob with a key, as cosign 3's `sign-blob --key`: the signature over the artifact,
 * a hashedrekord entry naming the public key in each selected log (unless tlogUpload is
 * false), RFC 3161 timestamps, and a v0.3 bundle whose key material is the key's hint; the
 * bundle must verify with that key before it is returned.
 */
export async function signBlobWithKey(artifact: SignableArtifact, options: KeySignOptions): Promise<KeySignResult> {
  const signer = checkKeyOptions(options);
  if (signer.hash !== 'sha256') {
    throw new SignError('SIGN_OPTIONS_INVALID', `key signing: a blob's log entry records its SHA-256, so its signature must use SHA-256; this ${signer.algorithm} key signs with ${signer.hash}`, {
      hint: 'Sign blobs with an ECDSA P-256 or RSA key (sigil generate-key-pair makes P-256), or sign keylessly.',
    });
  }
  const hashed = await hashArtifact(artifact);
  const signature = hashed.bytes ? await signer.sign(hashed.bytes) : await signer.signDigest(hashed.sha256);
  options.onStep?.('artifact-signed');
  const entries = await logIfAsked(options, {
    v1: (rekor) => logSignature(rekor, { sha256: hashed.sha256, signature, verifier: { publicKey: signer.spki } }),
    v2: (rekor) => logSignatureV2(rekor, { digest: hashed.sha256, signature, verifier: rawKeyOf(signer) }),
  });
  const content: BundleContent = { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: hashed.sha256 }, signature };
  const checkedOver: Artifact = hashed.bytes ? artifactFromBytes(hashed.bytes) : artifactFromDigests(new Map([['sha256', hashed.sha256]]));
  return seal(signer, content, signature, entries, checkedOver, options);
}

/** Signs an in-toto statement as DSSE with a key, as cosign 3's `attest-blob --key`. */
export async function signDsseWithKey(statement: Uint8Array, options: KeySignOptions): Promise<KeySignResult> {
  if (!(statement instanceof Uint8Array)) throw new SignError('SIGN_OPTIONS_INVALID', 'signDsseWithKey: expected the in-toto statement as bytes');
  const signer = checkKeyOptions(options);
  const subjectDigests = digestsOfASubject(parseStatement(statement));
  const signature = await signer.sign(preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, statement));
  const envelope: Envelope = { payload: statement, payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: signature, keyid: '' }] };
  options.onStep?.('artifact-signed');
  const entries = await logIfAsked(options, {
    v1: (rekor) => logEnvelope(rekor, envelope, { publicKey: signer.spki }),
    v2: (rekor) => logEnvelopeV2(rekor, envelope, rawKeyOf(signer)),
  });
  return seal(signer, { $case: 'dsseEnvelope', envelope }, signature, entries, artifactFromDigests(subjectDigests), options);
}

/** The key hint sigstore-go writes: base64 of the SHA-256 of the public key's DER SPKI. */
export function publicKeyHint(spki: Uint8Array): string {
  return encodeBase64(sha256(spki));
}

function checkKeyOptions(options: KeySignOptions): Signer {
  const signer = options?.signer;
  if (!signer || typeof signer.sign !== 'function' || !(signer.spki instanceof Uint8Array)) {
    throw new SignError('SIGN_OPTIONS_INVALID', 'key signing: expected a signer (a loaded key file), found none');
  }
  if (!options.trust) throw new SignError('SIGN_OPTIONS_INVALID', 'key signing: expected the trust material the log entries and timestamps must check against, found none');
  if (options.tlogUpload === false && timestampAuthorities(options).length === 0) {
    throw new SignError('SIGN_OPTIONS_INVALID', 'key signing without a log entry (--tlog-upload=false): expected a timestamp authority, found none; nothing would show when the signature was made', {
      hint: 'Name a TSA (--timestamp-server-url, or tsaUrls in the signing config), or keep the log entry.',
    });
  }
  if (options.tlogUpload !== false) {
    const v2 = rekorV2WithoutTimestamp(logServices(options), timestampAuthorities(options).length);
    if (v2) {
      throw new SignError('SIGN_OPTIONS_INVALID', `key signing: Rekor v2 log ${v2.url} records no signed time, so its bundles need an RFC 3161 timestamp; expected a timestamp authority, found none`);
    }
  }
  return signer;
}

async function logIfAsked(options: KeySignOptions, write: Parameters<typeof logToEach>[1]): Promise<TransparencyLogEntry[]> {
  if (options.tlogUpload === false) return [];
  const entries = await logToEach(options, write);
  options.onStep?.('entry-logged');
  return entries;
}

function rawKeyOf(signer: Signer): RawVerifier {
  return { type: 'publicKey', der: signer.spki, keyDetails: keyDetailsOf(signer.publicKey) };
}

async function seal(signer: Signer, content: BundleContent, signature: Uint8Array, entries: TransparencyLogEntry[], artifact: Artifact, options: KeySignOptions): Promise<KeySignResult> {
  const sealed = await sealBundle(
    {
      keyMaterial: { $case: 'publicKey', hint: publicKeyHint(signer.spki) },
      content,
      signature,
      entries,
      artifact,
      policy: { publicKey: signer.publicKey },
      // Without a log entry, the timestamp is the evidence; the verifier is told so, as the
      // user will have to tell it (--insecure-ignore-tlog).
      verifierOptions: options.tlogUpload === false ? { tlogThreshold: 0 } : undefined,
    },
    options,
  );
  return { ...sealed, signature, publicKey: signer.spki };
}
