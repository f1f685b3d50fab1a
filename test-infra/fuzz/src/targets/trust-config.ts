// Trusted roots and signing configs: @sigil/bundle's codecs, and @sigil/trust's decoding of a
// root into trust material (every key imported, every CA chain parsed).
import { parseClientTrustConfig, parseSigningConfig, parseTrustedRoot } from '@sigil/bundle';
import { TrustMaterial } from '@sigil/trust';
import { typedOnly } from '../typed-only.js';

export function fuzz(data: Buffer): void {
  const text = data.toString('utf8');
  const root = typedOnly(() => parseTrustedRoot(text));
  if (root) {
    typedOnly(() => {
      const material = TrustMaterial.fromTrustedRoot(root).validate();
      return [...material.tlogs, ...material.ctlogs].map((log) => log.publicKey);
    });
  }
  typedOnly(() => parseSigningConfig(text));
  typedOnly(() => parseClientTrustConfig(text));
}
