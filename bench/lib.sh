# Shared by bench/run.sh, bench/scale.sh and bench/scorecard.sh, sourced after their options are parsed: logging,
# arithmetic, background processes stopped by pid at exit, the private PostgreSQL cluster, the service, partners and
# keys, the SQL capture, and one wrk round.
# Expects ROOT (the repository) and KEEP (true: keep the work folder); BENCH_NAME prefixes the progress lines
# (default "bench"). The caller sets WORK to its work folder.

# ---- plumbing --------------------------------------------------------------------------------------

say() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%H:%M:%S)" "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
# One line per measurement on standard output (and in results.txt, for the table).
result() { printf '%s\n' "$*" | tee -a "$WORK/results.txt"; }
median() { awk NF | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The median of space-separated values, with D decimals.
med() { calc "$(tr ' ' '\n' <<<"$1" | median)" "$2"; }
# Arithmetic on decimals; 0 when it cannot be done (a division by a failed measurement's zero).
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }" 2>/dev/null || echo 0; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# The server binaries refuse root: as root they run as postgres, who must own the data folder.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
sql() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d leads "$@"; }

WORK=""
PIDS=()
# Whether a pid is still a child of this run: a process that ended may have left its pid to someone else.
ours() { [ "$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')" = "$$" ]; }
cleanup() {
    local status=$?
    set +e
    # Only what this run started, by pid, newest first.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        ours "${PIDS[i]}" && kill "${PIDS[i]}" 2>/dev/null && wait "${PIDS[i]}" 2>/dev/null
    done
    if [ -n "$WORK" ] && [ -f "$WORK/pg/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate -w stop >/dev/null 2>&1
    fi
    if [ -n "$WORK" ]; then
        if $KEEP || [ "$status" -ne 0 ]; then say "work folder kept: $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a background process and remembers its pid for cleanup; sets STARTED.
start_bg() {
    local log=$1; shift
    "$@" >"$log" 2>&1 &
    STARTED=$!
    PIDS+=("$STARTED")
}

stop_bg() {
    local pid=$1
    { ours "$pid" && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; } || true
}

wait_http() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 120); do
        curl -sf -o /dev/null "$url" && return 0
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; fail "the process behind $url exited"; }
        sleep 0.5
    done
    tail -20 "$log" >&2
    fail "$url did not answer within 60 s"
}

# ---- build, database, service ---------------------------------------------------------------------

# dotnet publish -c Release of the service into $WORK/service.
publish_service() {
    dotnet publish "$ROOT/src/LeadsApi" -c Release -o "$WORK/service" -nologo -v q >"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; fail "dotnet publish src/LeadsApi"; }
}

start_cluster() {
    PG_PORT=$(free_port)
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT"
    mkdir -p "$WORK/pg" "$WORK/pg-server"
    [ "$(id -u)" -ne 0 ] || chown postgres "$WORK/pg" "$WORK/pg-server"
    as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1 \
        || { cat "$WORK/initdb.log" >&2; fail initdb; }
    # Durability off (nothing here needs to survive a crash), memory as the issue asks, no WAL for the
    # seeding beyond what recovery needs, and a csv log the SQL capture can parse.
    cat >>"$WORK/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 2GB
checkpoint_timeout = 30min
logging_collector = on
log_destination = 'csvlog'
log_directory = 'log'
log_filename = 'postgresql'
log_timezone = 'UTC'
EOF
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -w -l "$WORK/pg-server/start.log" start >/dev/null || { cat "$WORK/pg-server/start.log" >&2; fail "pg_ctl start"; }
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres leads
    CONN="Host=127.0.0.1;Port=$PG_PORT;Database=leads;Username=postgres"
}

# The service with the bench's settings: its own database, no demo data, no rate limits (a load generator is one key
# sending as fast as it can: throttled, it would measure the limiter), listening on $2; more settings follow as
# VAR=value (a later one wins: RateLimits__Enabled=true). Sets SERVICE_PID.
start_service() {
    local name=$1 port=$2; shift 2
    start_bg "$WORK/$name.log" env ConnectionStrings__Leads="$CONN" Demo__Seed=false RateLimits__Enabled=false \
        ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__Console__Format=json "$@" \
        dotnet "$WORK/service/LeadsApi.dll"
    SERVICE_PID=$STARTED
    wait_http "http://127.0.0.1:$port/health/ready" "$SERVICE_PID" "$WORK/$name.log"
}

admin() { env ConnectionStrings__Leads="$CONN" dotnet "$WORK/service/LeadsApi.dll" admin "$@" 2>>"$WORK/admin.log"; }

# A partner with its partnerAdmin key, made by the service's own admin command (keys are stored hashed).
# Sets PARTNER and KEY.
create_partner() {
    local created
    created=$(admin create-partner --name "$1") || { tail -5 "$WORK/admin.log" >&2; fail "admin create-partner"; }
    PARTNER=$(jq -r .partnerId <<<"$created")
    KEY=$(jq -r .apiKey <<<"$created")
}

seed() {
    sql -v partner_id="$1" -v leads="$2" -v shape="$3" -v tag="${4:-0}" -f "$ROOT/bench/seed-bench.sql"
}

# ---- SQL capture -----------------------------------------------------------------------------------

# One request through a capture instance of the service, whose connections go through wire_proxy.py (which
# records the round trips), with log_statement = 'all' on only around that request. Writes the pgbench script,
# its -D definitions and a summary as $WORK/capture-<name>.{pgbench,defines,json,sql}.
# capture <name> <mode> <lead id> <lead tag> <known id> <curl arguments...>
capture() {
    local name=$1 mode=$2 lead=$3 tag=$4 known=$5; shift 5
    sql -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 1 # the backends take the new setting when they next read a command
    local since until
    since=$(now)
    curl -sf -o "$WORK/capture-$name.body" "$@" || fail "the $name request of the capture failed"
    until=$(now)
    sql -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
    python3 "$ROOT/bench/capture/to_pgbench.py" --csvlog "$WORK/pg/log/postgresql.csv" --round-trips "$WORK/round-trips.jsonl" \
        --since "$since" --until "$until" --mode "$mode" --lead-id "$lead" --lead-tag "$tag" --known "$known" \
        --script "$WORK/capture-$name.pgbench" --defines "$WORK/capture-$name.defines" \
        --summary "$WORK/capture-$name.json" --transcript "$WORK/capture-$name.sql" >/dev/null \
        || fail "turning the captured $name SQL into a pgbench script"
    say "captured $name: $(jq -r '"\(.round_trips) round trips, \(.statements) statements, \(.parses) parses, -M \(.protocol)"' "$WORK/capture-$name.json")"
    jq -r '.shape | to_entries[] | "  round trip \(.key + 1): \(.value)"' "$WORK/capture-$name.json" >&2
}

# A second instance of the service whose connections go through wire_proxy.py, which records the round trips that
# capture reads. Sets CAPTURE_URL; stop_capture_service stops both.
start_capture_service() {
    local proxy_port capture_port
    proxy_port=$(free_port)
    capture_port=$(free_port)
    start_bg "$WORK/proxy.log" python3 "$ROOT/bench/capture/wire_proxy.py" --listen "$proxy_port" --upstream "$PG_PORT" --out "$WORK/round-trips.jsonl"
    CAPTURE_PROXY_PID=$STARTED
    sleep 0.5
    local conn=$CONN
    CONN="Host=127.0.0.1;Port=$proxy_port;Database=leads;Username=postgres"
    # No background workers: only requests use the database while the log is on.
    start_service capture "$capture_port" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    CAPTURE_PID=$SERVICE_PID
    CONN=$conn
    CAPTURE_URL="http://127.0.0.1:$capture_port"
}

stop_capture_service() {
    stop_bg "$CAPTURE_PID"
    stop_bg "$CAPTURE_PROXY_PID"
}

# ---- load generators -------------------------------------------------------------------------------

# run_wrk <connections> <threads> <url> <key> [BENCH_*=value ...]: one round of $DURATION seconds.
# Sets WRK_RPS WRK_P50 WRK_P99 (milliseconds) WRK_REQUESTS WRK_BAD (non-2xx answers plus socket errors).
run_wrk() {
    local connections=$1 threads=$2 url=$3 key=$4; shift 4
    local out line
    out=$(env BENCH_KEY="$key" BENCH_THREADS="$threads" "$@" \
        wrk -c "$connections" -t "$threads" -d "${DURATION}s" --timeout 30s -s "$ROOT/bench/wrk/leads.lua" "$url" 2>&1) || true
    echo "$out" >>"$WORK/wrk.log"
    line=$(grep '^wrk ' <<<"$out" || true)
    [ -n "$line" ] || { WRK_RPS=0; WRK_P50=0; WRK_P99=0; WRK_REQUESTS=0; WRK_BAD=1; return 0; }
    kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    WRK_RPS=$(kv rps)
    WRK_P50=$(calc "$(kv p50_us) / 1000" 2)
    WRK_P99=$(calc "$(kv p99_us) / 1000" 2)
    WRK_REQUESTS=$(kv requests)
    WRK_BAD=$(( $(kv non2xx) + $(kv errors) ))
}

bench_uuid() { printf '%08x-bead-7000-8000-%012x' "$1" "$2"; }
