#!/usr/bin/env bash
# Generated clients against a live service. Generates a TypeScript client (openapi-typescript +
# openapi-fetch) and a C# client (NSwag) from the checked-in contract openapi/leads-api.v1.json,
# type-checks and builds both, starts a throwaway PostgreSQL and the service, onboards a partner and
# a sender with the admin commands, and runs the same scenario with each client
# (tests/contract/typescript/scenario.ts, tests/contract/csharp/Program.cs). One line per check,
# `PASS <name>` or `FAIL <name>`, also appended to $CI_RESULTS when set; exit 1 when any check
# failed. Stops and removes whatever it started, however it ends.
#   LEADS_CI_DATABASE  a PostgreSQL connection string to use instead of a throwaway cluster
#   LEADS_API_DLL      a built LeadsApi.dll to use instead of `dotnet build src/LeadsApi -c Release`
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
contract=$root/tests/contract
ts=$contract/typescript
cs=$contract/csharp
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
tmp=$(mktemp -d)
failed=0 checks=0 started=$SECONDS
api_pid='' pg_ctl='' pg_data='' pg_container=''

cleanup() {
  if [ -n "$api_pid" ]; then kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; fi
  if [ -n "$pg_data" ]; then as_pg "$pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1; fi
  if [ -n "$pg_container" ]; then docker rm -f "$pg_container" >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

report() {                                  # report <PASS|FAIL> <name> [detail for the log]
  checks=$((checks + 1))
  [ "$1" = PASS ] || failed=$((failed + 1))
  echo "$1 $2"
  [ -z "${CI_RESULTS:-}" ] || echo "$1 $2" >> "$CI_RESULTS"
  [ "$1" = PASS ] || [ -z "${3:-}" ] || printf '%s\n' "${3:0:4000}" | sed 's/^/  /' >&2
}
summary() { echo "clients: $((checks - failed)) of $checks checks passed in $((SECONDS - started)) s"; }
stop_here() { summary; exit 1; }
abort() {                                   # a failed step that everything after it depends on
  report FAIL "$1" "${2:-}"
  [ -z "$api_pid" ] || tail -20 "$tmp/api.log" | sed 's/^/  api: /' >&2
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
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
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

# ---- the service, its database, a partner and a sender ------------------------------------------
if [ -n "${LEADS_API_DLL:-}" ]; then
  dll=$LEADS_API_DLL
  [ -f "$dll" ] || abort service/build "LEADS_API_DLL=$dll does not exist"
else
  step service/build "$root" dotnet build src/LeadsApi -c Release -nologo || stop_here
  dll=$root/src/LeadsApi/bin/Release/net10.0/LeadsApi.dll
fi

if [ -n "${LEADS_CI_DATABASE:-}" ]; then
  conn=$LEADS_CI_DATABASE
else
  initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  if [ -n "$initdb" ] && { [ "$(id -u)" != 0 ] || id postgres >/dev/null 2>&1; }; then
    bin=$(dirname "$(readlink -f "$initdb")")
    pg_ctl=$bin/pg_ctl
    cluster=$tmp/pg && mkdir -p "$cluster" && chmod 755 "$tmp"
    [ "$(id -u)" != 0 ] || chown postgres: "$cluster"
    as_pg "$bin/initdb" -D "$cluster/data" -A trust -U postgres --no-sync >"$tmp/initdb.log" 2>&1 \
      || abort database "$(tail -10 "$tmp/initdb.log")"
    pg_data=$cluster/data                     # from here on, cleanup stops it
    started_pg=0
    for _ in 1 2 3; do                        # a port that another process takes meanwhile: try another
      pg_port=$(free_port) || abort database "no free port"
      if as_pg "$pg_ctl" -D "$pg_data" -l "$cluster/log" -w -t 30 \
           -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $cluster -c fsync=off" start >/dev/null 2>&1; then
        started_pg=1
        break
      fi
    done
    [ "$started_pg" = 1 ] || abort database "$(tail -10 "$cluster/log")"
    conn="Host=127.0.0.1;Port=$pg_port;Database=leads;Username=postgres"
  elif docker info >/dev/null 2>&1; then
    pg_container=leadsapi-clients-$$
    pg_password=clients-$RANDOM$RANDOM
    docker run -d --name "$pg_container" -p 127.0.0.1::5432 -e POSTGRES_PASSWORD="$pg_password" \
      -e POSTGRES_DB=leads "${LEADS_TEST_POSTGRES_IMAGE:-postgres:15-bookworm}" >/dev/null || abort database "docker run failed"
    for _ in $(seq 60); do docker exec "$pg_container" pg_isready -U postgres -d leads -h 127.0.0.1 >/dev/null 2>&1 && break; sleep 1; done
    pg_port=$(docker port "$pg_container" 5432/tcp | head -1 | sed 's/.*://')
    conn="Host=127.0.0.1;Port=$pg_port;Database=leads;Username=postgres;Password=$pg_password"
  else
    abort database "no PostgreSQL: set LEADS_CI_DATABASE, install the PostgreSQL server binaries, or start Docker"
  fi
fi
report PASS database
export ConnectionStrings__Leads=$conn

api_port=$(free_port) || abort service/ready "no free port"
base=http://127.0.0.1:$api_port
ASPNETCORE_URLS=$base dotnet "$dll" >"$tmp/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 90); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] && break
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] || abort service/ready
report PASS service/ready

field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p' <<<"$2"; }   # a string member of a one-line JSON object
out=$(dotnet "$dll" admin create-partner --name "Clients CI partner" 2>&1)
partner_id=$(field partnerId "$out") partner_key=$(field apiKey "$out")
[ -n "$partner_id" ] && [ -n "$partner_key" ] || abort onboard "$out"
out=$(dotnet "$dll" admin create-sender --name "Clients CI sender" --kind platformMarketing 2>&1)
sender_key=$(field apiKey "$out")
[ -n "$sender_key" ] || abort onboard "$out"
report PASS onboard

# ---- the scenario, once with each client ---------------------------------------------------------
export LEADS_URL=$base PARTNER_ID=$partner_id PARTNER_KEY=$partner_key SENDER_KEY=$sender_key
[ "$ts_ok" = 0 ] || scenario typescript node "$ts/dist/scenario.js"
[ "$cs_ok" = 0 ] || scenario csharp dotnet "$cs/bin/Release/net10.0/LeadsApi.ClientScenario.dll"

summary
[ "$failed" -eq 0 ]
