#!/usr/bin/env bash
# The side-by-side proxy benchmark: installs nginx and wrk (Debian packages) if missing, builds
# elemental in release, then runs bench/proxy.py. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
cargo build --release --quiet
exec python3 bench/proxy.py "$@"
