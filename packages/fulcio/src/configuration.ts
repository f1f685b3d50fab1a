import type { JsonCursor } from '@sigil/http-client';
import { fulcioResponse, readCertificateChain } from './response-reader.js';

export interface FulcioIssuer {
  /** Exactly one of issuerUrl and wildcardIssuerUrl is set. */
  issuerUrl?: string;
  wildcardIssuerUrl?: string;
  audience: string;
  /** `sub` or `email`: what the proof of possession signs. */
  challengeClaim: string;
  issuerType?: string;
  spiffeTrustDomain?: string;
  subjectDomain?: string;
}

export interface FulcioConfiguration {
  issuers: FulcioIssuer[];
}

const MAX_ISSUERS = 1000;
const MAX_CHAINS = 100;
const OPTIONAL_FIELDS = ['issuerType', 'spiffeTrustDomain', 'subjectDomain'] as const;

/** `GET /api/v2/configuration`. */
export function readConfiguration(value: unknown): FulcioConfiguration {
  const root = fulcioResponse(value, 'configuration');
  return { issuers: root.field('issuers').items(0, MAX_ISSUERS).map(readIssuer) };
}

function readIssuer(item: JsonCursor): FulcioIssuer {
  const url = item.optionalField('issuerUrl');
  const wildcard = item.optionalField('wildcardIssuerUrl');
  if ((url === undefined) === (wildcard === undefined)) item.fail('expected one of issuerUrl or wildcardIssuerUrl');
  const issuer: FulcioIssuer = {
    audience: item.field('audience').nonEmptyString(1024),
    challengeClaim: item.field('challengeClaim').nonEmptyString(256),
  };
  if (url) issuer.issuerUrl = url.nonEmptyString(2048);
  if (wildcard) issuer.wildcardIssuerUrl = wildcard.nonEmptyString(2048);
  for (const name of OPTIONAL_FIELDS) {
    const field = item.optionalField(name);
    if (field) issuer[name] = field.string(2048);
  }
  return issuer;
}

/** `GET /api/v2/trustBundle`: each chain intermediate(s) first, root last (no leaf). */
export function readTrustBundle(value: unknown): Uint8Array[][] {
  return fulcioResponse(value, 'trustBundle')
    .field('chains')
    .items(1, MAX_CHAINS)
    .map((chain) => readCertificateChain(chain).map((certificate) => certificate.der));
}
