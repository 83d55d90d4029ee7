#!/usr/bin/env bash
# Swagger UI in a real browser against a live service: tests/contract/browser/swagger-ui.mjs drives Debian's
# Chromium (playwright-core, no browser download) through Authorize, GET /v1/leads, Try it out, Execute, and
# checks the 200, the leads in the body and the Authorization header. Installs Chromium with apt when it is
# missing, runs `npm ci` in tests/contract when its packages are missing or stale, starts a throwaway
# PostgreSQL and the service with the demo partner (.ci/live-service.sh), and stops them however it ends.
# Prints the test's `PASS swagger-ui: ...` / `FAIL swagger-ui: ...` lines and appends them to $CI_RESULTS
# when set; exits 1 when any failed.
#
# Its screenshot goes to artifacts/swagger-ui/swagger-ui.png (a failure's to swagger-ui-failure.png beside
# it). The picture in the docs is refreshed by hand, from the repository root, with
#   SWAGGER_UI_SCREENSHOT=docs/images/swagger-ui.png bash .ci/swagger-ui.sh
# and then looked at before it is committed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
contract=$root/tests/contract
out=$root/artifacts/swagger-ui
screenshot=${SWAGGER_UI_SCREENSHOT:-$out/swagger-ui.png}
mkdir -p "$out"
started=$SECONDS

record() { echo "$1"; [ -z "${CI_RESULTS:-}" ] || echo "$1" >> "$CI_RESULTS"; }
give_up() { record "FAIL swagger-ui: $1"; exit 1; }

# Debian's Chromium; the test never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$out/apt.log" 2>&1 \
     || [ ! -x /usr/bin/chromium ]; then
    give_up "Chromium is missing and 'apt-get install chromium' failed (see artifacts/swagger-ui/apt.log)"
  fi
fi

# playwright-core from the pinned lock file: npm ci when node_modules is missing, lacks it, or predates the
# lock file (npm keeps a copy of the lock file it installed from as node_modules/.package-lock.json).
if [ ! -d "$contract/node_modules/playwright-core" ] \
   || [ ! "$contract/node_modules/.package-lock.json" -nt "$contract/package-lock.json" ]; then
  (cd "$contract" && npm ci --no-audit --no-fund) >"$out/npm.log" 2>&1 \
    || give_up "npm ci in tests/contract failed (see artifacts/swagger-ui/npm.log)"
fi

# shellcheck source=live-service.sh
. "$root/.ci/live-service.sh"
trap stop_live_service EXIT
trap 'exit 130' INT TERM
start_live_service >"$out/service.log" 2>&1 || give_up "the service did not start (see artifacts/swagger-ui/service.log)"

LEADS_URL=$LEADS_URL PARTNER_KEY=$PARTNER_KEY timeout 300 node "$contract/browser/swagger-ui.mjs" \
  --screenshot "$screenshot" --failure-screenshot "$out/swagger-ui-failure.png" >"$out/test.out" 2>"$out/test.err"
code=$?
grep -E '^(PASS|FAIL) ' "$out/test.out" | while IFS= read -r line; do record "$line"; done
grep -vE '^(PASS|FAIL) ' "$out/test.out" | sed 's/^/  /'
[ ! -s "$out/test.err" ] || sed 's/^/  /' "$out/test.err" >&2
if [ "$code" -ne 0 ] && ! grep -q '^FAIL ' "$out/test.out"; then
  record "FAIL swagger-ui: the browser test exited $code without saying why$([ "$code" = 124 ] && echo ' (timed out after 300 s)')"
fi
if [ "$code" -eq 0 ] && ! grep -q '^PASS ' "$out/test.out"; then
  record "FAIL swagger-ui: the browser test reported nothing"
  code=1
fi
echo "swagger-ui: $([ "$code" -eq 0 ] && echo passed || echo failed) in $((SECONDS - started)) s"
[ "$code" -eq 0 ]
