// The TSA's certificates: a P-384 root and a P-256 signing leaf whose only extended key
// usage is timeStamping, in a critical extension (RFC 3161 section 2.3). Kept in the state dir.
import { OctetString, AsnConvert } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';
import { bytesEqual } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { parseCertificate } from '@sigil/x509';
import { name, signCertificate, tbsCertificate } from '../certificate.js';
import { wholeSeconds } from '../checks.js';
import { loadCertificate, loadOrCreateSigningKey, saveCertificate } from '../durable-state.js';
import { StackError } from '../errors.js';
import { authorityKeyId, basicConstraints, keyIdentifier, keyUsage, subjectKeyId } from '../extensions.js';
import type { SigningKey } from '../keys.js';

export const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface TsaCertificates {
  root: Uint8Array;
  leaf: Uint8Array;
  leafKey: SigningKey;
  /** The leaf, parsed by asn1-x509: its issuer and serial name the signer in every token. */
  leafCertificate: X.Certificate;
}

export function loadOrCreateTsaCertificates(path: (name: string) => string): TsaCertificates {
  const rootKey = loadOrCreateSigningKey(path('tsa-root-key.pem'), 'P-384');
  const leafKey = loadOrCreateSigningKey(path('tsa-leaf-key.pem'), 'P-256');
  let root = loadCertificate(path('tsa-root.pem'));
  let leaf = loadCertificate(path('tsa-leaf.pem'));
  if (root && leaf) {
    checkCertifies(root, rootKey, path('tsa-root.pem'));
    checkCertifies(leaf, leafKey, path('tsa-leaf.pem'));
  } else {
    ({ root, leaf } = makeCertificates(rootKey, leafKey));
    saveCertificate(path('tsa-root.pem'), root);
    saveCertificate(path('tsa-leaf.pem'), leaf);
  }
  return { root, leaf, leafKey, leafCertificate: AsnConvert.parse(leaf, X.Certificate) };
}

function makeCertificates(rootKey: SigningKey, leafKey: SigningKey): { root: Uint8Array; leaf: Uint8Array } {
  const rootName = name({ organization: 'sigil.local', commonName: 'sigil-tsa-root' });
  const notBefore = wholeSeconds(new Date(Date.now() - YEAR_MS));
  const notAfter = new Date(notBefore.getTime() + 10 * YEAR_MS);
  const rootKeyId = keyIdentifier(rootKey.spki);
  const root = signCertificate(
    tbsCertificate({
      issuer: rootName,
      subject: rootName,
      notBefore,
      notAfter,
      spki: rootKey.spki,
      signer: rootKey,
      extensions: [keyUsage('keyCertSign', 'cRLSign'), basicConstraints(true, 0), subjectKeyId(rootKeyId)],
    }),
    rootKey,
  );
  const timeStampingOnly = new X.Extension({
    extnID: X.id_ce_extKeyUsage,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(new X.ExtendedKeyUsage([TIME_STAMPING]))),
  });
  const leaf = signCertificate(
    tbsCertificate({
      issuer: rootName,
      subject: name({ organization: 'sigil.local', commonName: 'sigil-tsa' }),
      notBefore,
      notAfter,
      spki: leafKey.spki,
      signer: rootKey,
      extensions: [keyUsage('digitalSignature'), timeStampingOnly, subjectKeyId(keyIdentifier(leafKey.spki)), authorityKeyId(rootKeyId)],
    }),
    rootKey,
  );
  return { root, leaf };
}

function checkCertifies(der: Uint8Array, key: SigningKey, path: string): void {
  let spki: Uint8Array;
  try {
    spki = parseCertificate(der, path).spkiDer;
  } catch (err) {
    throw new StackError('STACK_STATE_INVALID', `${path}: expected a certificate (${describeError(err)})`, { details: { path } });
  }
  if (!bytesEqual(spki, key.spki)) {
    throw new StackError('STACK_STATE_INVALID', `${path}: expected the certificate of the key beside it, found another key's`, { details: { path } });
  }
}
