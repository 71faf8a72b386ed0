#!/usr/bin/env bash
# The web console in a real browser (issue #25, docs/adr/0046-console.md): Debian's Chromium
# driven by Playwright (console/browser/*.spec.ts) against the running local stack, signing in
# through the real Keycloak login page. Screenshots of the main pages and, for a failure, its
# trace are kept in console/browser/results/. Run by ./berth test after the stack is up.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
trap 'rm -rf "$WORK"' EXIT

CHROMIUM=${BERTH_CHROMIUM:-/usr/bin/chromium}
[[ -x $CHROMIUM ]] || { echo "not ok - Chromium is not installed at $CHROMIUM (apt-get install -y chromium)"; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/console/config.json" \
  || { echo "not ok - the gateway does not serve the console: ./berth up first"; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$KEYCLOAK_PORT/realms/berth/.well-known/openid-configuration" \
  || { echo "not ok - Keycloak's realm berth does not answer: ./berth up first"; exit 1; }

cd "$BERTH_ROOT/console" || exit 1
bash scripts/build.sh deps > "$WORK/build.log" 2>&1 || { echo "not ok - the console's npm packages did not install"; tail -20 "$WORK/build.log"; exit 1; }
rm -rf browser/results
BERTH_GATEWAY="http://127.0.0.1:$GATEWAY_PORT" BERTH_KEYCLOAK="http://127.0.0.1:$KEYCLOAK_PORT" \
  BERTH_ADMIN_PASSWORD="$BERTH_ADMIN_PASSWORD" BERTH_CHROMIUM="$CHROMIUM" \
  npx --no-install playwright test --config browser/playwright.config.ts
rc=$?
# What the page showed when a test failed (its accessibility tree, from Playwright's error
# context), so that a failure in CI says more than the locator it waited for.
for context in browser/results/output/*/error-context.md; do
  [[ -f $context ]] || continue
  echo "# $context (the page when it failed):"
  sed -n '1,80p' "$context" | sed 's/^/#   /'
done
echo "console: screenshots in console/browser/results/screenshots/ ($(find browser/results/screenshots -name '*.png' 2>/dev/null | wc -l) files)"
exit $rc
