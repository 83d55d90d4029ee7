# Sourced by the CI checks that need a running service (curl cookbook, generated clients, browser):
#   . .ci/live-service.sh; start_live_service; ...; stop_live_service
# Starts a throwaway private database with the service's own launcher (`LeadsApi database start` with a
# data folder under /tmp: the local server binaries, else Docker), or uses $LEADS_CI_DATABASE (a connection
# string to an empty database); then the service from a Release build on a free port, seeds the demo
# partner, and exports what the README's walk-through uses: LEADS_URL PARTNER_KEY READER_KEY SENDER_KEY PLATFORM_KEY PARTNER_ID.
# Webhooks may go to http://127.0.0.1 (the checks run their receivers there; never outside local development and
# tests), and a failed delivery is retried after 1 s and 2 s instead of the production schedule's minutes and hours.
#
# Opt-in, for a service run by someone else (bench/scale.sh: several instances behind nginx): with LEADS_CI_URL set
# it starts and stops no service and no database; it seeds the demo partner into LEADS_CI_DATABASE (then required:
# a direct connection string to the database that service uses) and exports LEADS_URL=$LEADS_CI_URL with the demo
# keys. That service must run with the two webhook settings above; LEADS_CI_LOGS (a glob) names its log files.

_live_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_live_dir=""
_live_dll="$_live_root/src/LeadsApi/bin/Release/net10.0/LeadsApi.dll"
_live_database=""
_live_service_pid=""

_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_live_service() {
  [ -z "${LEADS_CI_URL:-}" ] || { _use_external_service; return; }
  _live_dir=$(mktemp -d /tmp/leadsapi-live.XXXXXX)
  # The local binaries run as the postgres user when we are root: it must reach the data folder.
  chmod 755 "$_live_dir"
  dotnet build "$_live_root/src/LeadsApi" -c Release -v q -nologo >"$_live_dir/build.log" 2>&1 || { cat "$_live_dir/build.log"; return 1; }

  if [ -n "${LEADS_CI_DATABASE:-}" ]; then
    export ConnectionStrings__Leads="$LEADS_CI_DATABASE"
  else
    # A Docker back end gets a container and volume of this run's own (leadsapi-live-<pid>-postgres, -pgdata).
    _live_database="LocalDatabase__DataDirectory=$_live_dir/data LocalDatabase__DockerName=leadsapi-live-$$"
    ConnectionStrings__Leads=$(env $_live_database dotnet "$_live_dll" database start) || return 1
    export ConnectionStrings__Leads
  fi

  _seed_demo || return 1

  local api_port; api_port=$(_free_port)
  export LEADS_URL="http://127.0.0.1:$api_port"
  ASPNETCORE_URLS="$LEADS_URL" dotnet "$_live_dll" \
    --Webhooks:AllowInsecureLocalUrls=true --Webhooks:RetrySchedule=00:00:01,00:00:02 >"$_live_dir/service.log" 2>&1 &
  _live_service_pid=$!
  for _ in $(seq 60); do
    curl -sf "$LEADS_URL/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "the service did not become ready; its log:" >&2
  tail -20 "$_live_dir/service.log" >&2
  return 1
}

# The demo partner, senders and leads (once) and the demo keys, exported.
_seed_demo() {
  local keys
  keys=$(dotnet "$_live_dll" admin seed-demo) || return 1
  export PARTNER_ID PARTNER_KEY READER_KEY SENDER_KEY PLATFORM_KEY
  PARTNER_ID=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerId"])')
  PARTNER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerKey"])')
  READER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["readerKey"])')
  SENDER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["senderKey"])')
  PLATFORM_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["platformKey"])')
}

# LEADS_CI_URL: a service that runs already; only the demo partner goes into its database.
_use_external_service() {
  [ -n "${LEADS_CI_DATABASE:-}" ] || { echo "LEADS_CI_URL needs LEADS_CI_DATABASE (a connection string to seed the demo partner)" >&2; return 1; }
  _live_dir=$(mktemp -d /tmp/leadsapi-live.XXXXXX)
  dotnet build "$_live_root/src/LeadsApi" -c Release -v q -nologo >"$_live_dir/build.log" 2>&1 || { cat "$_live_dir/build.log"; return 1; }
  export ConnectionStrings__Leads="$LEADS_CI_DATABASE"
  _seed_demo || return 1
  export LEADS_URL=${LEADS_CI_URL%/}
  curl -sf "$LEADS_URL/health/ready" >/dev/null 2>&1 || { echo "the service at $LEADS_URL does not answer /health/ready" >&2; return 1; }
}

# Whether the service start_live_service started still runs (with LEADS_CI_URL: still answers); the end of its
# log (of each of LEADS_CI_LOGS), for a check that failed.
live_service_running() {
  if [ -n "${LEADS_CI_URL:-}" ]; then curl -sf -o /dev/null "${LEADS_CI_URL%/}/health/live"; return; fi
  [ -n "$_live_service_pid" ] && kill -0 "$_live_service_pid" 2>/dev/null
}
live_service_log_tail() {
  if [ -n "${LEADS_CI_URL:-}" ]; then
    local log
    # shellcheck disable=SC2086 # a glob, on purpose
    for log in ${LEADS_CI_LOGS:-}; do [ -f "$log" ] && { echo "== $log"; tail -n "${1:-30}" "$log"; }; done
    return 0
  fi
  [ -n "$_live_dir" ] && tail -n "${1:-30}" "$_live_dir/service.log"
}

stop_live_service() {
  [ -n "$_live_service_pid" ] && kill "$_live_service_pid" 2>/dev/null && wait "$_live_service_pid" 2>/dev/null
  if [ -n "$_live_database" ]; then
    env $_live_database dotnet "$_live_dll" database stop >/dev/null 2>&1
    docker volume rm -f "leadsapi-live-$$-pgdata" >/dev/null 2>&1
  fi
  [ -n "$_live_dir" ] && rm -rf "$_live_dir"
  _live_service_pid=""; _live_database=""; _live_dir=""
}
