#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report test (headless, driven by playwright-core), once.
# Idempotent: does nothing when /usr/bin/chromium exists. Exits 3 (and says why) when it is missing
# and this user cannot install packages, so the test can skip with a clear reason.
set -euo pipefail
chromium_bin="/usr/bin/chromium"
if [[ -x "$chromium_bin" ]]; then echo "$chromium_bin"; exit 0; fi
if [[ "$(id -u)" != "0" ]]; then
  echo "chromium is not installed at $chromium_bin and installing it needs root: run 'sudo apt-get install -y chromium'" >&2
  exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is not installed at $chromium_bin and apt-get is not available on this system" >&2
  exit 3
fi
echo "installing chromium with apt-get (one time)…" >&2
# Another process may hold the dpkg lock briefly; apt-get waits for it up to this many seconds.
apt_opts=(-o DPkg::Lock::Timeout=120 -y -q)
DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" --no-install-recommends chromium >&2
if [[ ! -x "$chromium_bin" ]]; then
  echo "apt-get finished but $chromium_bin is still missing" >&2
  exit 3
fi
echo "$chromium_bin"
