#!/usr/bin/env bash
# Builds the console for Maven (console/pom.xml) and ./berth: installs the npm packages the lock
# file pins when they changed, then `vite build` and the precompressed copies (dist/).
# `build.sh node` only checks that Node.js is there and new enough (./berth calls it first).
# Needs Node.js 20.19 or newer with npm, and the npm registry within reach (README).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "berth console: Node.js 20.19+ and npm are needed to build the console (README: Requirements)" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "berth console: Node.js $(node --version) is too old; 20.19 or newer is needed (Vite 8)" >&2
  exit 1
fi
[[ ${1:-} != node ]] || exit 0
stamp=node_modules/.berth-lock.sha256
if [[ ! -f $stamp ]] || ! sha256sum --quiet -c "$stamp" >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
fi
case "${1:-build}" in
  deps) ;; # the packages only (tests/e2e/console.sh: Playwright; the gateway serves the jar's build)
  build) npm run --silent build ;;
  test) npm run --silent check && npm run --silent test ;;
  *) echo "usage: $0 [build|test|deps|node]" >&2; exit 2 ;;
esac
