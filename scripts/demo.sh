#!/usr/bin/env bash
# The first thing to run on a fresh machine: installs what Sigil needs, builds the `sigil`
# CLI, then verifies a real public-good bundle offline with the embedded production root.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@9
pnpm install --frozen-lockfile --reporter=silent
node apps/cli/build.mjs

sigil() { node apps/cli/dist/sigil.mjs "$@"; }
example=examples/rfc8785-wheel
identity="https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
issuer="https://token.actions.githubusercontent.com"

echo "== What the bundle says (sigil inspect):"
sigil inspect "$example/rfc8785-0.1.2-py3-none-any.whl.sigstore.json"
echo
echo "== Verify it offline against the embedded production trusted root:"
sigil verify-blob "$example/rfc8785-0.1.2-py3-none-any.whl" \
  --bundle "$example/rfc8785-0.1.2-py3-none-any.whl.sigstore.json" \
  --certificate-identity "$identity" --certificate-oidc-issuer "$issuer"
echo
echo "== The same bundle with a wrong identity is rejected (exit code 1 expected):"
if sigil verify-blob "$example/rfc8785-0.1.2-py3-none-any.whl" \
  --bundle "$example/rfc8785-0.1.2-py3-none-any.whl.sigstore.json" \
  --certificate-identity "${identity%2}3" --certificate-oidc-issuer "$issuer"; then
  echo "unexpected: a wrong identity verified" >&2
  exit 1
fi
echo
echo "Demo OK"
