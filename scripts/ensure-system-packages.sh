#!/usr/bin/env bash
# Debian packages the tests drive for real: Chromium (Playwright's own browser download cannot
# work here), PostgreSQL (the migrations and the double-booking index are checked on it) and
# Redis (the rate-limit counters gunicorn's workers share). `--bench` adds wrk, the load
# generator bench/load.py prefers (a Python client in the same run is slower than the server).
set -euo pipefail
missing=()
[ "${1:-}" != "--bench" ] || command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "Install these Debian packages first: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "Installing ${missing[*]} from Debian ..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
