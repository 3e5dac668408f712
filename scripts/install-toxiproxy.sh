#!/usr/bin/env bash
# Installs toxiproxy v2.12.0 (the server) for the integration tests, once, into a cache folder outside
# the work tree so that a fresh clone reuses it. TOXIPROXY_SERVER_BIN pointing at a binary skips all of
# this. Prints the path of the binary on its last line.
set -euo pipefail
version="v2.12.0"
if [[ -n "${TOXIPROXY_SERVER_BIN:-}" ]]; then
  if [[ -x "$TOXIPROXY_SERVER_BIN" ]]; then echo "$TOXIPROXY_SERVER_BIN"; exit 0; fi
  echo "TOXIPROXY_SERVER_BIN=$TOXIPROXY_SERVER_BIN is not an executable file; unset it or point it at a toxiproxy-server binary" >&2
  exit 2
fi
cache_root="${LIVEKIT_DOCTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/livekit-doctor}"
# A folder of its own: livekit-server's `go install` also produces a binary called `server`.
bin_dir="$cache_root/toxiproxy-$version/bin"
# `go install` names the binary after the package folder: cmd/server → server.
bin="$bin_dir/server"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "Go is needed to install toxiproxy $version (go install); install Go or set TOXIPROXY_SERVER_BIN" >&2
  exit 2
fi
mkdir -p "$bin_dir"
echo "installing toxiproxy $version into $bin_dir (one time, under a minute)…" >&2
GOBIN="$bin_dir" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$version" >&2
echo "$bin"
