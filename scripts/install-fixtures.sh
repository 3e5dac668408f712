#!/usr/bin/env bash
# Installs the real agent frameworks the scenario tests drive: test/fixtures/node-agent (npm ci of its
# own lockfile: @livekit/agents with its own rtc-node 0.13.x) and test/fixtures/python-agent (a project
# local .venv with livekit-agents). Usage: install-fixtures.sh [node] [python]  (default: both).
# Idempotent: a stamp (hash of the lockfile/requirements and the runtime version) skips work already done.
# Progress and errors go to stderr; stdout stays empty.
set -euo pipefail
exec 3>&1 1>&2 # anything a tool prints lands on stderr

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="$repo_root/test/fixtures"

fail() {
  echo "install-fixtures: ERROR: $*" >&2
  exit 2
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not on PATH; $2"
}

stamp_of() { # files... → one hash line
  sha256sum "$@" | sha256sum | cut -d' ' -f1
}

install_node() {
  local dir="$fixtures/node-agent"
  need node "install Node.js >= 20"
  need npm "install npm (it comes with Node.js)"
  [[ -f "$dir/package-lock.json" ]] || fail "$dir/package-lock.json is missing; it is committed, restore it"
  local want have=""
  want="$(stamp_of "$dir/package-lock.json" "$dir/package.json") node-$(node --version)"
  [[ -f "$dir/node_modules/.fixture-stamp" ]] && have="$(cat "$dir/node_modules/.fixture-stamp")"
  if [[ "$have" == "$want" ]]; then
    echo "install-fixtures: node-agent is up to date" >&2
    return
  fi
  echo "install-fixtures: installing node-agent (npm ci, about 45 s, 510 MB)…" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $dir failed (see above)"
  [[ -f "$dir/node_modules/@livekit/agents/package.json" ]] || fail "npm ci finished but @livekit/agents is missing in $dir/node_modules"
  echo "$want" >"$dir/node_modules/.fixture-stamp"
}

install_python() {
  local dir="$fixtures/python-agent" venv="$fixtures/python-agent/.venv"
  need python3 "install Python >= 3.10 (livekit-agents needs it)"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    fail "python3 is $(python3 --version 2>&1); livekit-agents 1.8.9 needs Python >= 3.10"
  local want have=""
  want="$(stamp_of "$dir/requirements.txt") $(python3 --version 2>&1)"
  [[ -f "$venv/.fixture-stamp" ]] && have="$(cat "$venv/.fixture-stamp")"
  if [[ "$have" == "$want" ]]; then
    echo "install-fixtures: python-agent is up to date" >&2
    return
  fi
  echo "install-fixtures: installing python-agent (venv + pip, about 25 s)…" >&2
  rm -rf "$venv" # a half-built or outdated venv is not worth repairing
  python3 -m venv "$venv" ||
    fail "python3 -m venv failed; on Debian/Ubuntu install the venv module: apt-get install -y python3-venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt" ||
    fail "pip install -r $dir/requirements.txt failed (see above); the venv at $venv is incomplete"
  "$venv/bin/python" -c 'import livekit.agents' || fail "livekit.agents does not import in $venv"
  echo "$want" >"$venv/.fixture-stamp"
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(node python)

# Test files may ask at the same time: one installer at a time, the second then finds the stamp.
need flock "install util-linux"
exec 9>"${TMPDIR:-/tmp}/livekit-doctor-fixtures-$(echo "$repo_root" | sha256sum | cut -c1-12).lock"
flock --timeout 600 9 || fail "another install-fixtures.sh held the lock for 10 minutes"

for target in "${targets[@]}"; do
  case "$target" in
    node) install_node ;;
    python) install_python ;;
    *) fail "unknown target '$target'; use: node, python" ;;
  esac
done
