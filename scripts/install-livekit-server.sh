#!/usr/bin/env bash
# Installs livekit-server v1.13.5 for the integration tests, once, into a cache folder outside the
# work tree so that a fresh clone reuses it. LIVEKIT_SERVER_BIN pointing at a binary skips all of this.
# Prints the path of the binary on its last line.
set -euo pipefail
version="v1.13.5"
if [[ -n "${LIVEKIT_SERVER_BIN:-}" ]]; then
  if [[ -x "$LIVEKIT_SERVER_BIN" ]]; then echo "$LIVEKIT_SERVER_BIN"; exit 0; fi
  echo "LIVEKIT_SERVER_BIN=$LIVEKIT_SERVER_BIN is not an executable file; unset it or point it at a livekit-server binary" >&2
  exit 2
fi
cache_root="${LIVEKIT_DOCTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/livekit-doctor}"
bin_dir="$cache_root/livekit-server-$version/bin"
# `go install` names the binary after the package folder: cmd/server → server.
bin="$bin_dir/server"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "Go is needed to install livekit-server $version (go install); install Go >= 1.26 or set LIVEKIT_SERVER_BIN" >&2
  exit 2
fi
mkdir -p "$bin_dir"
echo "installing livekit-server $version into $bin_dir (one time, about 2 minutes)…" >&2
GOBIN="$bin_dir" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/livekit/livekit-server/cmd/server@$version" >&2
echo "$bin"
