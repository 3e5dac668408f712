#!/usr/bin/env bash
# Everything the test suite needs beyond `npm ci`, installed once and reused: Debian packages
# (faketime for real clock-skew tests, chromium for the HTML report test), livekit-server v1.13.5, and
# the real agent frameworks used as fixtures. Each step is idempotent and fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v faketime >/dev/null 2>&1 || need_apt+=(faketime)
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
if ((${#need_apt[@]})); then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need_apt[*]} (one time)…" >&2
    apt_opts=(-o DPkg::Lock::Timeout=120 -y -q --no-install-recommends)
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${need_apt[@]}" >&2
  else
    echo "missing Debian packages: ${need_apt[*]}; install them (sudo apt-get install -y ${need_apt[*]}) — tests that need them will fail" >&2
  fi
fi
bash scripts/install-livekit-server.sh >/dev/null
if [[ -f scripts/install-fixtures.sh ]]; then bash scripts/install-fixtures.sh >/dev/null; fi
