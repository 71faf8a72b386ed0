# shellcheck shell=bash
# Shared by the shell test suites (tests/stack, tests/e2e): the local stack's settings, a
# scratch directory, and check(), which runs one command and prints "ok - ..." or
# "not ok - ..." with the tail of its output. summary() prints "<suite>: N passed, M failed"
# and fails when any check did.

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BERTH=$BERTH_ROOT/berth
# shellcheck source=../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"

passed=0
failed=0
WORK=$(mktemp -d)

check() { # description command...
  local what=$1
  shift
  if "$@" > "$WORK/last.out" 2>&1; then
    passed=$((passed + 1))
    echo "ok - $what"
  else
    failed=$((failed + 1))
    echo "not ok - $what"
    sed 's/^/    | /' "$WORK/last.out" | tail -n 20
  fi
}

summary() { # suite
  echo "$1: $passed passed, $failed failed"
  ((failed == 0))
}

psql_berth() {
  PGPASSWORD=$PG_PASSWORD psql -X -q -tA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"
}
