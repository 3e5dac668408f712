#!/usr/bin/env bash
# Everything the test suite needs beyond `npm ci`, installed once and reused: Debian packages
# (faketime for real clock-skew tests, chromium for the HTML report test, redis-server and prometheus
# (with promtool) as real auxiliary services), livekit-server v1.13.5, toxiproxy v2.12.0, and the real
# agent frameworks used as fixtures. Each step is idempotent and fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v faketime >/dev/null 2>&1 || need_apt+=(faketime)
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
# Tests start their own redis-server/prometheus on free loopback ports; these packages also ship a system
# daemon, which must not be left running (it would hold 6379/9090 and keep writing under /var/lib).
daemons=()
command -v redis-server >/dev/null 2>&1 || { need_apt+=(redis-server); daemons+=(redis-server); }
# Debian's prometheus package ships both /usr/bin/prometheus and /usr/bin/promtool.
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || { need_apt+=(prometheus); daemons+=(prometheus); }
if ((${#need_apt[@]})); then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need_apt[*]} (one time)…" >&2
    # --no-install-recommends also keeps prometheus-node-exporter (another daemon) out.
    apt_opts=(-o DPkg::Lock::Timeout=120 -y -q --no-install-recommends)
    # A policy-rc.d that answers 101 makes postinst skip starting services (Docker images ship one);
    # add it only for this install when the system has none.
    policy=/usr/sbin/policy-rc.d
    if ((${#daemons[@]})) && [[ ! -e "$policy" ]]; then
      printf '#!/bin/sh\n# temporary, from livekit-doctor scripts/install-test-deps.sh\nexit 101\n' >"$policy"
      chmod 755 "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${need_apt[@]}" >&2
    if [[ -n "$(trap -p EXIT)" ]]; then rm -f "$policy"; trap - EXIT; fi
    # postinst still enables the units for the next boot (and an existing permissive policy-rc.d may have
    # let them start): stop and disable only the daemons this script just installed.
    for svc in ${daemons[@]+"${daemons[@]}"}; do
      if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable --now "$svc" >/dev/null 2>&1 || true
      elif [[ -x "/etc/init.d/$svc" ]]; then
        if "/etc/init.d/$svc" status >/dev/null 2>&1; then "/etc/init.d/$svc" stop >&2 || true; fi
        update-rc.d "$svc" disable >/dev/null 2>&1 || true
      fi
    done
  else
    echo "missing Debian packages: ${need_apt[*]}; install them (sudo apt-get install -y ${need_apt[*]}) — tests that need them will fail" >&2
  fi
fi
bash scripts/install-livekit-server.sh >/dev/null
bash scripts/install-toxiproxy.sh >/dev/null
if [[ -f scripts/install-fixtures.sh ]]; then bash scripts/install-fixtures.sh >/dev/null; fi
