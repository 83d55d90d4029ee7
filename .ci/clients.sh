#!/usr/bin/env bash
# Generated clients against a live service. Generates a TypeScript client (openapi-typescript +
# openapi-fetch) and a C# client (NSwag) from the checked-in contract openapi/leads-api.v1.json,
# type-checks and builds both, starts a throwaway PostgreSQL and the service with the demo partner and
# sender (.ci/live-service.sh), and runs the same scenario with each client
# (tests/contract/typescript/scenario.ts, tests/contract/csharp/Program.cs). One line per check,
# `PASS <name>` or `FAIL <name>`, also appended to $CI_RESULTS when set; exit 1 when any check
# failed. Stops and removes whatever it started, however it ends.
#   LEADS_CI_DATABASE  a PostgreSQL connection string to use instead of a throwaway cluster
#   LEADS_CI_URL       a service that runs already (several instances behind nginx: bench/scale.sh), with LEADS_CI_DATABASE to seed it
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
contract=$root/tests/contract
ts=$contract/typescript
cs=$contract/csharp
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
tmp=$(mktemp -d)
failed=0 checks=0 started=$SECONDS

cleanup() {
  declare -F stop_live_service >/dev/null && stop_live_service
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

report() {                                  # report <PASS|FAIL> <name> [detail for the log]
  checks=$((checks + 1))
  [ "$1" = PASS ] || failed=$((failed + 1))
  echo "$1 clients: $2"
  [ -z "${CI_RESULTS:-}" ] || echo "$1 clients: $2" >> "$CI_RESULTS"
  [ "$1" = PASS ] || [ -z "${3:-}" ] || printf '%s\n' "${3:0:4000}" | sed 's/^/  /' >&2
}
summary() { echo "clients: $((checks - failed)) of $checks checks passed in $((SECONDS - started)) s"; }
stop_here() { summary; exit 1; }
abort() {                                   # a failed step that everything after it depends on
  report FAIL "$1" "${2:-}"
  stop_here
}
step() {                                    # step <name> <dir> <command...>: one check; its output is shown when it fails
  local name=$1 dir=$2 log=$tmp/${1//\//-}.log
  shift 2
  if (cd "$dir" && "$@") >"$log" 2>&1; then report PASS "$name"; return 0; fi
  report FAIL "$name" "$(grep -E ' error |error TS|rror:' "$log" | sort -u | head -30; tail -15 "$log")"
  return 1
}
scenario() {                                # scenario <prefix> <command...>: its PASS/FAIL lines become checks
  local prefix=$1 line code
  shift
  "$@" >"$tmp/$prefix.out" 2>"$tmp/$prefix.err"
  code=$?
  while IFS= read -r line; do
    case $line in PASS\ *|FAIL\ *) report "${line%% *}" "$prefix/${line#* }" ;; esac
  done <"$tmp/$prefix.out"
  [ ! -s "$tmp/$prefix.err" ] || sed 's/^/  /' "$tmp/$prefix.err" >&2
  if [ "$code" -ne 0 ] && ! grep -q '^FAIL ' "$tmp/$prefix.out"; then report FAIL "$prefix/run" "exit code $code"; fi
  if [ "$code" -eq 0 ] && ! grep -q '^PASS ' "$tmp/$prefix.out"; then report FAIL "$prefix/run" "no step reported"; fi
}

# ---- tools ---------------------------------------------------------------------------------------
dotnet tool restore >"$tmp/tools.log" 2>&1 || abort tools "$(cat "$tmp/tools.log")"
# npm ci when node_modules is missing or older than package-lock.json (npm keeps a copy of the lock
# file it installed from as node_modules/.package-lock.json).
if [ ! "$contract/node_modules/.package-lock.json" -nt "$contract/package-lock.json" ]; then
  (cd "$contract" && npm ci --no-audit --no-fund) >"$tmp/npm.log" 2>&1 || abort npm-ci "$(tail -20 "$tmp/npm.log")"
fi

# ---- both clients, generated from the checked-in contract ---------------------------------------
rm -rf "$ts/generated" "$ts/dist" "$cs/generated"
ts_ok=0 cs_ok=0
step typescript/generate "$contract" npx openapi-typescript ../../openapi/leads-api.v1.json -o typescript/generated/leads-api.d.ts \
  && step typescript/typecheck "$contract" npx tsc -p typescript --strict --noEmit \
  && step typescript/compile "$contract" npx tsc -p typescript --noCheck \
  && ts_ok=1
step csharp/generate "$cs" dotnet nswag openapi2csclient /input:../../../openapi/leads-api.v1.json \
    /output:generated/LeadsApiClient.cs /namespace:LeadsApi.Client /className:LeadsApiClient \
    /JsonLibrary:SystemTextJson /JsonLibraryVersion:10.0 /GenerateNullableReferenceTypes:true \
    /GenerateOptionalPropertiesAsNullable:true /GenerateOptionalParameters:true /DateType:System.DateOnly \
    /ExceptionClass:ApiException \
  && step csharp/build "$cs" dotnet build LeadsApi.ClientScenario.csproj -c Release -nologo \
  && cs_ok=1

# ---- the service, its database and the demo keys (.ci/live-service.sh) ---------------------------
# shellcheck source=live-service.sh
. "$root/.ci/live-service.sh"
start_live_service >"$tmp/service.log" 2>&1 || abort service "$(tail -20 "$tmp/service.log")"
report PASS service

# ---- the scenario, once with each client (LEADS_URL PARTNER_ID PARTNER_KEY SENDER_KEY PLATFORM_KEY are exported)
[ "$ts_ok" = 0 ] || scenario typescript node "$ts/dist/scenario.js"
[ "$cs_ok" = 0 ] || scenario csharp dotnet "$cs/bin/Release/net10.0/LeadsApi.ClientScenario.dll"
# A service that stopped mid-run shows as connection errors in every step after it: say so; and when anything
# failed, show the end of the service's log.
if live_service_running; then report PASS service-stayed-up; else report FAIL service-stayed-up; fi
[ "$failed" -eq 0 ] || { echo "  the end of the service's log:"; live_service_log_tail 30 | sed 's/^/    /'; } >&2

summary
[ "$failed" -eq 0 ]
