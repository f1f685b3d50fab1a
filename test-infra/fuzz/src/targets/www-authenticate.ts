// WWW-Authenticate (RFC 7235) as registries send it: @sigil/oci's challenge parser.
import { parseAuthChallenges } from '@sigil/oci';
import { typedOnly, violated } from '../typed-only.js';

export function fuzz(data: Buffer): void {
  // Node hands header values over as latin1 strings.
  const challenges = typedOnly(() => parseAuthChallenges(data.toString('latin1')));
  for (const challenge of challenges ?? []) {
    if (challenge.scheme !== challenge.scheme.toLowerCase()) violated(`scheme ${challenge.scheme} not lower case`);
  }
}
