#!/usr/bin/env bash
# What the tests need on a fresh machine: pnpm, Debian's packages for the image and template
# tests, and the workspace. The README's test command and .ci/run both run this, then `pnpm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@9
bash scripts/install-system-packages.sh
pnpm install --frozen-lockfile --reporter=silent
