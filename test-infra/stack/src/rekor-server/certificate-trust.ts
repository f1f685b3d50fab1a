import { encodeHex, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { sha256 } from '@sigil/crypto';
import { parseCertificate, verifyCertificatePath, type Certificate } from '@sigil/x509';
import { refusal } from './reasons.js';
import { RekorServiceError } from './errors.js';

/** CA chains (DER, intermediates first, root last) that entry certificates must chain to. */
export type TrustedCas = () => Uint8Array[][];

export interface TrustSnapshot {
  /** Names this set of chains: results computed under one id hold for as long as it is current. */
  id: string;
  chains: Certificate[][];
}

export interface CertificateTrust {
  /** The chains trustedCas() gives now, parsed (each DER parsed once). */
  current(): TrustSnapshot;
  /** Throws a REKOR_CERTIFICATE_UNTRUSTED refusal unless `leaf` chains to one of the snapshot's CAs, checked at its notBefore. */
  check(leaf: Certificate, snapshot: TrustSnapshot): void;
}

export function createCertificateTrust(trustedCas: TrustedCas): CertificateTrust {
  const parsed = new WeakMap<Uint8Array, { certificate: Certificate; id: string }>();
  const read = (der: unknown, where: string) => {
    if (!(der instanceof Uint8Array)) throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', `trustedCas ${where}: expected DER bytes, found ${typeOf(der)}`);
    let entry = parsed.get(der);
    if (!entry) {
      try {
        entry = { certificate: parseCertificate(der, `trustedCas ${where}`), id: encodeHex(sha256(der).subarray(0, 8)) };
      } catch (err) {
        throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', `trustedCas ${where}: ${describeError(err)}`, { cause: err });
      }
      parsed.set(der, entry);
    }
    return entry;
  };

  return {
    current() {
      const given = trustedCas();
      if (!Array.isArray(given)) throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', `trustedCas(): expected an array of chains, found ${typeOf(given)}`);
      const ids: string[] = [];
      const chains = given.map((chain, i) => {
        if (!Array.isArray(chain)) throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', `trustedCas()[${i}]: expected an array of DER certificates, found ${typeOf(chain)}`);
        const entries = chain.map((der, j) => read(der, `[${i}][${j}]`));
        ids.push(entries.map((entry) => entry.id).join('.'));
        return entries.map((entry) => entry.certificate);
      });
      return { id: ids.join('|'), chains };
    },
    check(leaf, { chains }) {
      const reasons: string[] = [];
      for (const chain of chains) {
        try {
          verifyCertificatePath(leaf, chain, leaf.notBefore, { leafPurpose: 'codeSigning' });
          return;
        } catch (err) {
          reasons.push(describeError(err));
        }
      }
      throw refusal('REKOR_CERTIFICATE_UNTRUSTED', `certificate: expected one issued by a trusted CA, found "${leaf.issuer}" (${reasons.join('; ') || 'no trusted CAs configured'})`);
    },
  };
}
