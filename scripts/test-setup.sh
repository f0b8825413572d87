#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real (redis-server for BullMQ, chromium for the
# report pages) when they are missing. Runs before `npm test` (npm's pretest hook).
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "test setup: installing ${missing[*]} (Debian packages the tests use)" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "test setup: ${missing[*]} missing and not root; install them: apt-get install -y ${missing[*]}" >&2; exit 1
  fi
else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
