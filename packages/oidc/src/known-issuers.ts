/**
 * Whether `issuer` is one of `allowed`. Entries with `*` work like Fulcio's meta-issuers:
 * each `*` stands for one DNS label or path segment (letters, digits, `-` and `_`).
 */
export function issuerIsKnown(issuer: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => (pattern.includes('*') ? wildcard(pattern).test(issuer) : pattern === issuer));
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((piece) => piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[-_a-zA-Z0-9]+')}$`);
}
