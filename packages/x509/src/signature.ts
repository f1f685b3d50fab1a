import { verifySignature, verifySignatureInBackground, type HashAlgorithm, type PublicKey, type SignatureOptions } from '@sigil/crypto';
import type { Certificate } from './certificate.js';
import { children, contextTag, DerError, readOid, readWhole, TAG } from './der.js';
import { X509Error } from './errors.js';

/** An AlgorithmIdentifier: the OID and, when present, its parameters as DER. */
export interface SignatureAlgorithm {
  readonly oid: string;
  readonly params?: Uint8Array | undefined;
}

type Scheme = { kind: 'ecdsa' | 'rsa-pkcs1' | 'rsa-pss'; hash: HashAlgorithm } | { kind: 'ed25519' };

const SCHEMES: Readonly<Record<string, Scheme>> = {
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
  '1.2.840.113549.1.1.11': { kind: 'rsa-pkcs1', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa-pkcs1', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa-pkcs1', hash: 'sha512' },
  '1.3.101.112': { kind: 'ed25519' },
};

// CMS signers may name only the key type and leave the hash to the digest algorithm.
const KEY_TYPE_SCHEMES: Readonly<Record<string, 'ecdsa' | 'rsa-pkcs1'>> = {
  '1.2.840.10045.2.1': 'ecdsa',
  '1.2.840.113549.1.1.1': 'rsa-pkcs1',
};

const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

export const HASH_OIDS: Readonly<Record<string, HashAlgorithm>> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * Verifies `signature` over `data` as `algorithm` prescribes. A key of the wrong type or a
 * bad signature verifies false; an algorithm Sigil does not support throws X509Error
 * X509_UNSUPPORTED_ALGORITHM. `digestHash` is the hash to use with a bare key-type OID
 * (rsaEncryption, id-ecPublicKey), as CMS SignerInfos use them.
 */
export function verifyWithAlgorithm(
  key: PublicKey,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  digestHash?: HashAlgorithm,
): boolean {
  const options = optionsFor(key, schemeOf(algorithm, digestHash));
  return options !== undefined && verifySignature(key, data, signature, options);
}

/** How to verify with `scheme`; undefined when the key is of another type (it cannot verify). */
function optionsFor(key: PublicKey, scheme: Scheme): SignatureOptions | undefined {
  switch (scheme.kind) {
    case 'ed25519':
      return key.kind === 'ed25519' ? {} : undefined;
    case 'ecdsa':
      return key.kind === 'ecdsa' ? { hash: scheme.hash } : undefined;
    case 'rsa-pkcs1':
      return key.kind === 'rsa' ? { hash: scheme.hash, rsaPadding: 'pkcs1' } : undefined;
    case 'rsa-pss':
      return key.kind === 'rsa' ? { hash: scheme.hash, rsaPadding: 'pss' } : undefined;
  }
}

/** Whether `issuerKey` signed `cert`'s TBS, with the certificate's signature algorithm. */
export function verifyCertificateSignature(cert: Certificate, issuerKey: PublicKey): boolean {
  return verifyWithAlgorithm(issuerKey, { oid: cert.signatureAlgorithm, params: cert.signatureAlgorithmParams }, cert.tbsDer, cert.signatureValue);
}

/** verifyCertificateSignature on the thread pool; resolves false for anything that would not verify, never rejects. */
export async function verifyCertificateSignatureInBackground(cert: Certificate, issuerKey: PublicKey): Promise<boolean> {
  let options: SignatureOptions | undefined;
  try {
    options = optionsFor(issuerKey, schemeOf({ oid: cert.signatureAlgorithm, params: cert.signatureAlgorithmParams }, undefined));
  } catch {
    return false;
  }
  return options !== undefined && verifySignatureInBackground(issuerKey, cert.tbsDer, cert.signatureValue, options);
}

function schemeOf(algorithm: SignatureAlgorithm, digestHash: HashAlgorithm | undefined): Scheme {
  const known = SCHEMES[algorithm.oid];
  if (known) return known;
  const keyType = KEY_TYPE_SCHEMES[algorithm.oid];
  if (keyType && digestHash) return { kind: keyType, hash: digestHash };
  if (algorithm.oid === RSA_PSS) return { kind: 'rsa-pss', hash: pssHash(algorithm.params) };
  throw new X509Error('X509_UNSUPPORTED_ALGORITHM', `signature algorithm: expected ECDSA, RSA (PKCS#1 v1.5 or PSS) with SHA-2, or Ed25519, found OID ${algorithm.oid}`, {
    details: { oid: algorithm.oid },
  });
}

/**
 * The hash of RSASSA-PSS-params (RFC 4055). The defaults are SHA-1, which Sigil does not
 * accept, so the hash must be explicit and MGF1 must use the same one.
 */
function pssHash(params: Uint8Array | undefined): HashAlgorithm {
  try {
    if (!params) throw new DerError('missing RSASSA-PSS parameters');
    const seq = readWhole(params, TAG.SEQUENCE, 'RSASSA-PSS parameters');
    let hash: HashAlgorithm | undefined;
    let mgfHash: HashAlgorithm | undefined;
    for (const field of children(params, seq, 'RSASSA-PSS parameters')) {
      if (field.tag === contextTag(0, true)) hash = hashOfAlgorithmIdentifier(params.subarray(field.valueStart, field.end));
      if (field.tag === contextTag(1, true)) {
        const [mgf] = children(params, field, 'maskGenAlgorithm');
        const [mgfOid, mgfParams] = mgf ? children(params, mgf, 'maskGenAlgorithm') : [];
        if (!mgfOid || !mgfParams || readOid(params, mgfOid, 'maskGenAlgorithm') !== MGF1) throw new DerError('maskGenAlgorithm is not MGF1');
        mgfHash = hashOfAlgorithmIdentifier(params.subarray(mgfParams.start, mgfParams.end));
      }
    }
    if (!hash || hash !== mgfHash) throw new DerError('hash and MGF1 hash must both be SHA-2 and equal');
    return hash;
  } catch (err) {
    throw new X509Error('X509_UNSUPPORTED_ALGORITHM', `RSASSA-PSS: ${err instanceof Error ? err.message : 'invalid parameters'}`, { cause: err });
  }
}

function hashOfAlgorithmIdentifier(der: Uint8Array): HashAlgorithm {
  const seq = readWhole(der, TAG.SEQUENCE, 'hash algorithm');
  const [oid] = children(der, seq, 'hash algorithm');
  const hash = oid && HASH_OIDS[readOid(der, oid, 'hash algorithm')];
  if (!hash) throw new DerError('hash algorithm is not SHA-256, SHA-384 or SHA-512');
  return hash;
}
