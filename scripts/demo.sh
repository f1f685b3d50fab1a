#!/usr/bin/env bash
# The first thing to run on a fresh machine: installs what Sigil needs, builds the `sigil`
# CLI and the local Sigstore stack, then signs and verifies an artifact end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@9
pnpm install --frozen-lockfile --reporter=silent
node apps/cli/build.mjs
node test-infra/stack/build.mjs
node scripts/demo.mjs
