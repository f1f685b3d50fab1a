#!/usr/bin/env bash
# Debian packages the tests need: the distribution registry (docker-registry, v2.8) and
# htpasswd (apache2-utils) for its basic-auth mode (image tests); rsync, which gitlab-ci-local's
# --shell-isolation copies each job's files with, and busybox, the `sh` of Alpine images that
# the template jobs run under (apps/ci). Installed only when missing.
set -euo pipefail
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v busybox >/dev/null 2>&1 || missing+=(busybox)
[ ${#missing[@]} -eq 0 ] && exit 0

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "install-system-packages: need root to install ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
}
echo "installing ${missing[*]} with apt-get"
run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
