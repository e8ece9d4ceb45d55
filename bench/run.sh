#!/usr/bin/env bash
# `npm run bench`: installs what the benchmark needs when it is missing, then runs it.
#   wrk      apt-get install -y wrk (after apt-get update)
#   Cerbos   npm package @cerbos/cerbos-linux-x64@0.55.0 (the PDP binary) under
#            $ZTI_BENCH_CACHE (default ~/.cache/zti-bench), outside the repository
# Everything listens on 127.0.0.1; every load is bounded in time. Arguments are passed to
# bench.ts (try --help); `run.sh p3` measures P3 alone (autocannon is a devDependency), and
# then neither wrk nor Cerbos is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

CERBOS_VERSION=0.55.0
CACHE="${ZTI_BENCH_CACHE:-$HOME/.cache/zti-bench}"
export ZTI_BENCH_CACHE="$CACHE"

# Sections named (p1, p2, p3); none = all. wrk and Cerbos serve p1/p2 only.
want_wrk=1
sections=0
for a in "$@"; do case "$a" in p1|p2|p3|p6|r8) sections=1 ;; esac; done
if [ "$sections" = 1 ]; then
  want_wrk=0
  for a in "$@"; do case "$a" in p1|p2|r8) want_wrk=1 ;; esac; done
fi

if [ "$want_wrk" = 1 ] && ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk (apt-get)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2
fi

CERBOS_PKG="$CACHE/node_modules/@cerbos/cerbos-linux-x64"
installed_version() { node -e 'try{process.stdout.write(require(process.argv[1]).version)}catch{}' "$CERBOS_PKG/package.json"; }
want_cerbos=$want_wrk
for a in "$@"; do [ "$a" = "--no-cerbos" ] && want_cerbos=0; done
if [ "$want_cerbos" = 1 ] && [ "$(installed_version)" != "$CERBOS_VERSION" ]; then
  echo "bench: installing @cerbos/cerbos-linux-x64@$CERBOS_VERSION into $CACHE" >&2
  mkdir -p "$CACHE"
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$CACHE" "@cerbos/cerbos-linux-x64@$CERBOS_VERSION" >&2
fi

# The servers under test run the compiled package, as `npx zti serve` does: build it first.
echo "bench: npm run build (the benchmark measures dist/)" >&2
npm run build --silent >&2

exec node --import tsx bench/bench.ts "$@"
