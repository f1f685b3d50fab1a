#!/usr/bin/env bash
# Every test, on a fresh machine too: installs pnpm, the workspace and the Debian packages
# the image tests need, then runs `pnpm test`. CI runs this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@9
bash scripts/install-system-packages.sh
pnpm install --frozen-lockfile --reporter=silent
pnpm test
