import { describeError } from '@sigil/errors';
import type { TrustMaterial } from '@sigil/trust';
import { parseTimestampToken, verifyTimestampToken } from '@sigil/tsa';
import { VerificationError } from './errors.js';

export interface VerifiedTimestamp {
  time: Date;
  authority: string;
}

/** Verifies every RFC 3161 timestamp over the bundle's signature; any bad one fails. */
export function verifyTimestamps(tokens: readonly Uint8Array[], signature: Uint8Array, trust: TrustMaterial): VerifiedTimestamp[] {
  // Without tokens, leave the TSA chains undecoded (most bundles carry none).
  if (tokens.length === 0) return [];
  const authorities = trust.timestampAuthorities.map((ca) => ({ certChain: ca.chain, validFor: ca.validFor }));
  return tokens.map((der, i) => {
    try {
      const token = parseTimestampToken(der);
      const { genTime, authority } = verifyTimestampToken(token, { data: signature, authorities });
      return { time: genTime, authority: trust.timestampAuthorities[authority]?.uri ?? `timestamp authority ${authority}` };
    } catch (err) {
      throw new VerificationError('VERIFY_TIMESTAMP_INVALID', `RFC 3161 timestamp ${i}: ${describeError(err)}`, { cause: err });
    }
  });
}
