#!/usr/bin/env bash
# The side-by-side proxy benchmark: installs nginx (with lua-nginx-module for the nginx-lua
# contender) and wrk (Debian packages) if missing, builds elemental in release, then runs
# bench/proxy.py with the arguments given (see bench/README.md). Loopback only; stops what it
# starts. Node 20 (`node`) is needed for the Node contenders; it is not installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# nginx-core, not nginx-light: the lua module (libnginx-mod-http-lua) loads into nginx-core.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-core)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
lua=()
[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] || lua+=(libnginx-mod-http-lua)
[ -f /usr/lib/x86_64-linux-gnu/lua/5.1/cjson.so ] || lua+=(lua-cjson)
[ -f /usr/lib/x86_64-linux-gnu/lua/5.1/_openssl.so ] || lua+=(lua-luaossl)
if [ ${#need[@]} -gt 0 ] || [ ${#lua[@]} -gt 0 ]; then
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  [ ${#lua[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${lua[@]}" \
    || echo "run.sh: could not install ${lua[*]}: the nginx-lua contender is left out" >&2
fi
command -v node >/dev/null 2>&1 || echo "run.sh: no node: leave the Node contenders out with --only" >&2
cargo build --release --quiet
exec python3 bench/proxy.py "$@"
