# Sourced by the CI checks that need a running service (curl cookbook, generated clients, browser):
#   . .ci/live-service.sh; start_live_service; ...; stop_live_service
# Starts a throwaway PostgreSQL from the local server binaries (or uses $LEADS_CI_DATABASE, a connection
# string to an empty database), the service from a Release build on a free port, seeds the demo partner,
# and exports what the README's walk-through uses: LEADS_URL PARTNER_KEY READER_KEY SENDER_KEY PARTNER_ID.

_live_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_live_dir=""
_live_pg_ctl=""
_live_service_pid=""

_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_live_service() {
  _live_dir=$(mktemp -d /tmp/leadsapi-live.XXXXXX)
  chmod 755 "$_live_dir"
  if [ -n "${LEADS_CI_DATABASE:-}" ]; then
    export ConnectionStrings__Leads="$LEADS_CI_DATABASE"
  else
    local bin
    bin=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort | tail -1)")
    _live_pg_ctl="$bin/pg_ctl"
    mkdir -p "$_live_dir/pg"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$_live_dir/pg"
    _as_postgres "$bin/initdb" -D "$_live_dir/pg" -U postgres -A trust -E UTF8 --no-locale >/dev/null || return 1
    local pg_port; pg_port=$(_free_port)
    _as_postgres "$_live_pg_ctl" -D "$_live_dir/pg" -l "$_live_dir/pg/server.log" -w \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off" start >/dev/null || return 1
    psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE leads" >/dev/null || return 1
    export ConnectionStrings__Leads="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=leads"
  fi

  dotnet build "$_live_root/src/LeadsApi" -c Release -v q -nologo >"$_live_dir/build.log" 2>&1 || { cat "$_live_dir/build.log"; return 1; }
  local dll="$_live_root/src/LeadsApi/bin/Release/net10.0/LeadsApi.dll"
  local keys
  keys=$(dotnet "$dll" admin seed-demo) || return 1
  export PARTNER_ID PARTNER_KEY READER_KEY SENDER_KEY
  PARTNER_ID=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerId"])')
  PARTNER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partnerKey"])')
  READER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["readerKey"])')
  SENDER_KEY=$(echo "$keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["senderKey"])')

  local api_port; api_port=$(_free_port)
  export LEADS_URL="http://127.0.0.1:$api_port"
  ASPNETCORE_URLS="$LEADS_URL" dotnet "$dll" >"$_live_dir/service.log" 2>&1 &
  _live_service_pid=$!
  for _ in $(seq 60); do
    curl -sf "$LEADS_URL/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "the service did not become ready; its log:" >&2
  tail -20 "$_live_dir/service.log" >&2
  return 1
}

stop_live_service() {
  [ -n "$_live_service_pid" ] && kill "$_live_service_pid" 2>/dev/null && wait "$_live_service_pid" 2>/dev/null
  [ -n "$_live_pg_ctl" ] && _as_postgres "$_live_pg_ctl" -D "$_live_dir/pg" -m immediate stop >/dev/null 2>&1
  [ -n "$_live_dir" ] && rm -rf "$_live_dir"
  _live_service_pid=""; _live_pg_ctl=""; _live_dir=""
}
