#!/usr/bin/env bash
# Issue 10's scaling run: more instances of the stateless service behind nginx, sharing one PostgreSQL, directly
# and through PgBouncer in transaction mode. Builds the service in Release, starts a private PostgreSQL, seeds
# partners the way bench/run.sh does, and for each topology starts 1, 2 and 3 instances behind nginx and
# measures GET /v1/leads/{id} and accept through nginx with wrk (non-2xx answers and socket errors must be 0),
# with each process group's share of the CPU. Then it proves what must hold behind PgBouncer (a key revoked in
# the database is refused by every instance at once; auto-prepare without PgBouncer's prepared-statement
# support fails), and runs the full scenario (the curl cookbook and the generated clients, .ci/) through nginx
# with 3 instances in each topology. Prints one line per measurement, then a markdown table for docs/scaling.md.
#
#   bash bench/scale.sh            # 3 rounds of 10 s per measurement, then the scenarios (about 15 minutes)
#   bash bench/scale.sh --quick    # 1 round of 5 s, no scenarios
#   bash bench/scale.sh --help     # every option
#
# Everything it starts lives in one /tmp/bench-scale.* folder and is stopped and removed at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
Usage: bash bench/scale.sh [options]

  --quick                1 round of 5 s, no scenarios
  --instances "N ..."    instance counts to measure (default "1 2 3")
  --topologies "T ..."   direct, pgbouncer or both (default "direct pgbouncer")
  --rounds R             rounds per measurement; medians are reported (default 3)
  --duration S           seconds per round (default 10)
  --warm S               seconds of warm-up per path before a configuration's rounds (default 10)
  --connections C        wrk connections to nginx (default 32)
  --threads T            wrk threads (default 2)
  --leads N              leads of the partner whose lead GET reads (default 10000)
  --accept-rate R        accepts per second to seed fresh leads for, per round (default 1500)
  --pool-size P          Database__MaxPoolSize of each instance (default: the service's, 20)
  --bouncer-pool P       PgBouncer's default_pool_size (default 20)
  --no-scenarios         skip the curl cookbook and the generated clients
  --no-proofs            skip the revocation and auto-prepare checks
  --out FILE             also write the markdown table to FILE
  --keep                 keep the work folder (logs, nginx and PgBouncer configuration) after the run
EOF
}

# ---- options ---------------------------------------------------------------------------------------

INSTANCES="1 2 3"
TOPOLOGIES="direct pgbouncer"
ROUNDS=3
DURATION=10
WARM=10
CONNECTIONS=32
THREADS=2
LEADS=10000
ACCEPT_RATE=1500
POOL_SIZE=""
BOUNCER_POOL=20
SCENARIOS=true
PROOFS=true
OUT=""
KEEP=false
MODE=full

while [ $# -gt 0 ]; do
    case $1 in
        --quick) MODE=quick; ROUNDS=1; DURATION=5; WARM=5; SCENARIOS=false ;;
        --instances) INSTANCES=$2; shift ;;
        --topologies) TOPOLOGIES=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warm) WARM=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --threads) THREADS=$2; shift ;;
        --leads) LEADS=$2; shift ;;
        --accept-rate) ACCEPT_RATE=$2; shift ;;
        --pool-size) POOL_SIZE=$2; shift ;;
        --bouncer-pool) BOUNCER_POOL=$2; shift ;;
        --no-scenarios) SCENARIOS=false ;;
        --no-proofs) PROOFS=false ;;
        --out) OUT=$2; shift ;;
        --keep) KEEP=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench/scale.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

BENCH_NAME=scale
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

FAILURES=0
LISTENER_NAME=leadsapi-listener # DatabasePools.ListenerApplicationName
note_failure() { FAILURES=$((FAILURES + 1)); say "FAILED: $*"; }

# ---- tools -----------------------------------------------------------------------------------------

need_tools() {
    local missing=() tool
    for tool in nginx pgbouncer wrk; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} (Debian's packages)"
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; } >/dev/null
    fi
    for tool in nginx pgbouncer wrk curl jq python3 dotnet; do
        command -v "$tool" >/dev/null || fail "$tool is required"
    done
    [ -x "$PG_BIN/initdb" ] || fail "PostgreSQL server binaries are required (PG_BIN=$PG_BIN)"
    BOUNCER_VERSION=$(pgbouncer --version | awk 'NR == 1 { print $2 }')
    NGINX_VERSION=$(nginx -v 2>&1 | sed 's|.*nginx/||')
}

# ---- PgBouncer and nginx ---------------------------------------------------------------------------

# PgBouncer in transaction mode in front of the cluster: every database name goes to the same server.
start_bouncer() {
    local dir=$WORK/pgbouncer
    BOUNCER_PORT=$(free_port)
    mkdir -p "$dir"
    echo '"postgres" ""' >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = $BOUNCER_POOL
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 1000
pidfile = $dir/pgbouncer.pid
log_connections = 0
log_disconnections = 0
stats_period = 60
EOF
    [ "$(id -u)" -ne 0 ] || chown -R postgres "$dir"
    # As root it must be told whom to run as (it refuses root); it stays in the foreground, so its pid is ours.
    local user=(); [ "$(id -u)" -ne 0 ] || user=(-u postgres)
    start_bg "$dir/pgbouncer.log" pgbouncer "${user[@]}" "$dir/pgbouncer.ini"
    BOUNCER_PID=$STARTED
    for _ in $(seq 50); do
        "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d leads -c 'SELECT 1' >/dev/null 2>&1 && break
        kill -0 "$BOUNCER_PID" 2>/dev/null || { cat "$dir/pgbouncer.log" >&2; fail "pgbouncer exited"; }
        sleep 0.2
    done
    say "PgBouncer $BOUNCER_VERSION on 127.0.0.1:$BOUNCER_PORT, pool_mode = transaction, default_pool_size = $BOUNCER_POOL"
}

bouncer_show() { "$PG_BIN/psql" -X -q -A -F ' ' -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d pgbouncer -c "SHOW $1"; }

# nginx in front of the given ports: round robin, HTTP/1.1 keepalive to the instances, no access log.
# Sets NGINX_PID; the address stays NGINX_URL across restarts.
start_nginx() {
    local dir=$WORK/nginx port servers=""
    mkdir -p "$dir/tmp"
    for port in "$@"; do servers+="        server 127.0.0.1:$port;"$'\n'; done
    local user=""
    # As root the workers drop to www-data (Debian's package creates it); they write only under tmp/.
    if [ "$(id -u)" -eq 0 ]; then user="user www-data www-data;"; chown -R www-data:www-data "$dir/tmp"; fi
    cat >"$dir/nginx.conf" <<EOF
$user
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    upstream leadsapi {
$servers        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://leadsapi;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_read_timeout 60s;
            # wrk closes its connections mid-request when a round ends: let those requests finish, so an error an
            # instance logs is the service's, not an aborted request's.
            proxy_ignore_client_abort on;
        }
    }
}
EOF
    start_bg "$dir/nginx.log" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
    NGINX_PID=$STARTED
    wait_http "$NGINX_URL/health/ready" "$NGINX_PID" "$dir/error.log"
}

stop_nginx() { [ -z "${NGINX_PID:-}" ] || stop_bg "$NGINX_PID"; NGINX_PID=""; }

# ---- instances -------------------------------------------------------------------------------------

# The connection settings of a topology, as env assignments for start_service (which sets ConnectionStrings__Leads
# to the direct $CONN first; a later assignment wins).
topology_settings() {
    local database=${2:-leads}
    case $1 in
        direct) TOPOLOGY=(ConnectionStrings__Leads="$(conn "$database")") ;;
        # PgBouncer 1.18 has no prepared statements in transaction mode: Npgsql must not prepare; resetting a
        # connection PgBouncer already shares per transaction is a wasted statement; LISTEN needs a real session.
        pgbouncer) TOPOLOGY=(ConnectionStrings__Leads="$(conn "$database" "$BOUNCER_PORT");No Reset On Close=true"
            ConnectionStrings__LeadsListen="$(conn "$database")" Database__MaxAutoPrepare=0) ;;
        *) fail "unknown topology $1" ;;
    esac
}
conn() { echo "Host=127.0.0.1;Port=${2:-$PG_PORT};Database=$1;Username=postgres"; }

# start_instances <count> <topology> <database> [VAR=value ...]: starts instances until <count> run. Appends to INSTANCE_PIDS/PORTS.
start_instances() {
    local count=$1 topology=$2 database=$3; shift 3
    topology_settings "$topology" "$database"
    local pool=(); [ -z "$POOL_SIZE" ] || pool=(Database__MaxPoolSize="$POOL_SIZE")
    while [ ${#INSTANCE_PIDS[@]} -lt "$count" ]; do
        local port; port=$(free_port)
        start_service "instance-$topology-$database-$((${#INSTANCE_PIDS[@]} + 1))" "$port" Database__Migrate=false \
            "${TOPOLOGY[@]}" "${pool[@]}" "$@"
        INSTANCE_PIDS+=("$SERVICE_PID"); INSTANCE_PORTS+=("$port")
    done
}

stop_instances() {
    local pid
    for pid in "${INSTANCE_PIDS[@]}"; do stop_bg "$pid"; done
    INSTANCE_PIDS=(); INSTANCE_PORTS=()
}

# Error lines the instances logged (compact JSON, one event a line): a run without errors has none.
logged_errors() { cat "$WORK"/instance-"$1"-*.log 2>/dev/null | grep -c '"@l":"\(Error\|Fatal\)"' || true; }

# ---- CPU -------------------------------------------------------------------------------------------

# Clock ticks a process used (user + system), and with "all" those of its children that ended.
ticks() {
    [ -r "/proc/$1/stat" ] || { echo 0; return; }
    sed 's/^.*) //' "/proc/$1/stat" | awk -v all="${2:-}" '{ print $12 + $13 + (all ? $14 + $15 : 0) }'
}
children() { ps -o pid= --ppid "$1" 2>/dev/null || true; }
group_ticks() { # <pid of the group's parent>: its ticks, its ended children's and its living children's
    local total pid
    total=$(ticks "$1" all)
    for pid in $(children "$1"); do total=$((total + $(ticks "$pid"))); done
    echo "$total"
}
# One snapshot: "machine-busy machine-total service postgres pgbouncer nginx harness". The harness is this shell and
# the children it waited for: wrk above all (the instances, nginx and PgBouncer are children that still run).
cpu_snapshot() {
    local machine service=0 pid postmaster
    machine=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    for pid in "${INSTANCE_PIDS[@]}"; do service=$((service + $(ticks "$pid"))); done
    postmaster=$(head -1 "$WORK/pg/postmaster.pid")
    echo "$machine $service $(group_ticks "$postmaster") $( [ -n "${BOUNCER_PID:-}" ] && ticks "$BOUNCER_PID" || echo 0) \
        $( [ -n "${NGINX_PID:-}" ] && group_ticks "$NGINX_PID" || echo 0) $(ticks $$ all)"
}
# cpu_shares <before> <after>: each group's share of the machine's two cores, in % of one core (200% = both);
# "wrk" is the harness (wrk, and the few tools it runs), "other" whatever else the machine did. Sets CPU_TEXT
# and CPU_CELL (the table's: service · postgres · pgbouncer + nginx · wrk · other).
cpu_shares() {
    read -ra b <<<"$1"; read -ra a <<<"$2"
    local total=$((a[1] - b[1])) busy=$((a[0] - b[0])) cores; cores=$(nproc)
    [ "$total" -gt 0 ] || total=1
    share() { calc "100 * $cores * $1 / $total" 0; }
    local svc=$((a[2] - b[2])) pg=$((a[3] - b[3])) pgb=$((a[4] - b[4])) ngx=$((a[5] - b[5]))
    local harness=$((a[6] - b[6]))
    local other=$((busy - svc - pg - pgb - ngx - harness)); [ "$other" -ge 0 ] || other=0
    CPU_CELL="$(share "$svc") · $(share "$pg") · $(share "$((pgb + ngx))") · $(share "$harness") · $(share "$other")"
    CPU_TEXT="service $(share "$svc")%, postgres $(share "$pg")%, pgbouncer $(share "$pgb")%, nginx $(share "$ngx")%, wrk $(share "$harness")%, other $(share "$other")%, idle $(share "$((total - busy))")%"
}

# ---- measurements ----------------------------------------------------------------------------------

# One wrk round through nginx with the CPU snapshot around it. Sets WRK_* and CPU_TEXT.
round() {
    local before after
    before=$(cpu_snapshot)
    run_wrk "$CONNECTIONS" "$THREADS" "$@"
    after=$(cpu_snapshot)
    cpu_shares "$before" "$after"
}

# The next unused range of fresh leads for an accept round: wrk's threads walk first, first + threads, ...;
# the next range starts past the most any thread could have taken (threads differ by a few requests).
next_accepts() { NEXT_ACCEPT=$((NEXT_ACCEPT + WRK_REQUESTS + WRK_REQUESTS / 2 + 1000)); }

accept_round() {
    round "$NGINX_URL" "$ACCEPT_KEY" BENCH_METHOD=POST BENCH_BODY="$ACCEPT_BODY" \
        BENCH_WALK='/v1/leads/%s/accept' BENCH_WALK_TAG="$ACCEPT_TAG" BENCH_WALK_FIRST="$NEXT_ACCEPT"
    next_accepts
    [ "$NEXT_ACCEPT" -le "$ACCEPT_LEADS" ] || note_failure "the accepts ran past the $ACCEPT_LEADS seeded leads: raise --accept-rate"
}

# measure <topology> <instances>: warm-up, then $ROUNDS rounds of GET and of accept. Adds a row to the table.
measure() {
    local topology=$1 n=$2 r get="" accept="" bad=0 get_cpu="" accept_cpu="" get_cell="" accept_cell=""
    local duration=$DURATION; DURATION=$WARM_SECONDS
    run_wrk "$CONNECTIONS" "$THREADS" "$NGINX_URL/v1/leads/$GET_LEAD" "$GET_KEY"
    accept_round
    DURATION=$duration
    for r in $(seq "$ROUNDS"); do
        round "$NGINX_URL/v1/leads/$GET_LEAD" "$GET_KEY"
        get+="$WRK_RPS "; bad=$((bad + WRK_BAD)); get_cpu=$CPU_TEXT; get_cell=$CPU_CELL
        say "$topology x$n GET round $r: $WRK_RPS req/s (non-2xx + errors $WRK_BAD, p99 $WRK_P99 ms); CPU $CPU_TEXT"
        accept_round
        accept+="$WRK_RPS "; bad=$((bad + WRK_BAD)); accept_cpu=$CPU_TEXT; accept_cell=$CPU_CELL
        say "$topology x$n accept round $r: $WRK_RPS req/s (non-2xx + errors $WRK_BAD, p99 $WRK_P99 ms); CPU $CPU_TEXT"
    done
    [ "$bad" -eq 0 ] || note_failure "$topology with $n instance(s): $bad non-2xx answers or socket errors"
    # The server sessions the rounds left open (pools keep idle connections for minutes): the listeners' and the rest.
    local sessions
    sessions=$(sql -c "SELECT count(*) FILTER (WHERE application_name <> '$LISTENER_NAME') || ' + ' ||
        count(*) FILTER (WHERE application_name = '$LISTENER_NAME') FROM pg_stat_activity
        WHERE datname = 'leads' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
    local get_rps accept_rps
    get_rps=$(med "$get" 0); accept_rps=$(med "$accept" 0)
    [ -n "${BASE_GET[$topology]:-}" ] || { BASE_GET[$topology]=$get_rps; BASE_ACCEPT[$topology]=$accept_rps; }
    result "$topology $n instance(s): GET $get_rps req/s ($(calc "$get_rps / ${BASE_GET[$topology]}" 2)x), accept $accept_rps req/s ($(calc "$accept_rps / ${BASE_ACCEPT[$topology]}" 2)x), non-2xx + socket errors $bad; PostgreSQL sessions $sessions listening; CPU in the last GET round: $get_cpu; in the last accept round: $accept_cpu"
    ROWS+=("| $topology | $n | $get_rps ($(calc "$get_rps / ${BASE_GET[$topology]}" 2)x) | $accept_rps ($(calc "$accept_rps / ${BASE_ACCEPT[$topology]}" 2)x) | $bad | $sessions | $get_cell | $accept_cell |")
}

# ---- proofs ----------------------------------------------------------------------------------------

# Every instance caches a key (one request each, directly), the key is revoked in the database, and every
# instance must refuse it within a second: the LISTEN of each instance reached PostgreSQL.
prove_revocation() {
    local topology=$1 port status refused=0 waited
    create_partner "Scale revocation $topology"
    local partner=$PARTNER key=$KEY
    for port in "${INSTANCE_PORTS[@]}"; do
        curl -sf -o /dev/null -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/leads?limit=1" || fail "the key was refused before it was revoked"
    done
    sql -c "UPDATE leads.api_keys SET revoked_at = now() WHERE partner_id = '$partner'"
    for waited in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.1; refused=0
        for port in "${INSTANCE_PORTS[@]}"; do
            status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/leads?limit=1")
            [ "$status" != 401 ] || refused=$((refused + 1))
        done
        [ "$refused" -lt "${#INSTANCE_PORTS[@]}" ] || break
    done
    if [ "$refused" -eq "${#INSTANCE_PORTS[@]}" ]; then
        result "revocation $topology: a key revoked in the database was refused by all ${#INSTANCE_PORTS[@]} instances within $((waited * 100)) ms"
    else
        note_failure "revocation $topology: after 1 s only $refused of ${#INSTANCE_PORTS[@]} instances refused the revoked key"
    fi
}

# What happens when LISTEN goes through PgBouncer too (no ConnectionStrings:LeadsListen): one instance caches a key,
# the key is revoked, and the instance is asked again after a second.
prove_listen_through_bouncer() {
    local port status; port=$(free_port)
    start_service "instance-pgbouncer-listen-1" "$port" Database__Migrate=false Database__MaxAutoPrepare=0 \
        ConnectionStrings__Leads="$(conn leads "$BOUNCER_PORT");No Reset On Close=true" Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    local pid=$SERVICE_PID
    create_partner "Scale listen through PgBouncer"
    sleep 1 # the listener has connected
    curl -sf -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/leads?limit=1" || fail "the key was refused before it was revoked"
    sql -c "UPDATE leads.api_keys SET revoked_at = now() WHERE partner_id = '$PARTNER'"
    sleep 1
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port/v1/leads?limit=1")
    stop_bg "$pid"
    result "LISTEN through PgBouncer (no ConnectionStrings:LeadsListen): a key revoked 1 s earlier answered $status (401 = refused; 200 = still cached)"
}

# What happens through PgBouncer without MaxAutoPrepare=0: one instance, the service's default auto-prepare.
prove_auto_prepare() {
    local port; port=$(free_port)
    start_service "instance-pgbouncer-prepare-1" "$port" Database__Migrate=false \
        ConnectionStrings__Leads="$(conn leads "$BOUNCER_PORT");No Reset On Close=true" ConnectionStrings__LeadsListen="$CONN" \
        Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    local pid=$SERVICE_PID duration=$DURATION; DURATION=$WARM_SECONDS
    run_wrk "$CONNECTIONS" "$THREADS" "http://127.0.0.1:$port/v1/leads/$GET_LEAD" "$GET_KEY"
    DURATION=$duration
    stop_bg "$pid"
    local errors first
    local kinds
    # The PostgreSQL errors the requests met (once each: the request's own line), by kind: "42P05: prepared statement "_auto0" already exists" and the like.
    kinds=$(grep '"@mt":"Unhandled exception' "$WORK/instance-pgbouncer-prepare-1.log" \
        | grep -o 'PostgresException (0x80004005): [0-9A-Z]*: [^\\]*\\"_auto[0-9]*\\"[a-z0-9 ]*' \
        | sed 's/.*): //; s/\\//g; s/_auto[0-9]*/_autoN/' | sort | uniq -c | sort -rn | awk '{ $1 = $1 "x"; print }' | paste -sd ';' || true)
    result "auto-prepare through PgBouncer $BOUNCER_VERSION (Database:MaxAutoPrepare=32): GET answered $WRK_BAD non-2xx or errors of $WRK_REQUESTS in $WARM_SECONDS s; ${kinds:-no PostgreSQL error logged}"
}

# ---- the scenarios ---------------------------------------------------------------------------------

# scenario <topology> <name> <script>: a fresh database, migrated once directly, 3 instances behind nginx with the
# settings .ci/live-service.sh gives its own service (every background worker on, the default rate limits: the cookbook
# shows a 429), and the script against nginx.
scenario() {
    local topology=$1 name=$2 script=$3 database="scenario_$2_$1" log="$WORK/scenario-$2-$1.log"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$database"
    local conn=$CONN; CONN=$(conn "$database")
    start_service "migrate-$database" "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"
    start_instances 3 "$topology" "$database" Webhooks__AllowInsecureLocalUrls=true Webhooks__RetrySchedule=00:00:01,00:00:02 \
        RateLimits__Enabled=true
    CONN=$conn
    stop_nginx; start_nginx "${INSTANCE_PORTS[@]}"
    local status=0
    LEADS_CI_URL=$NGINX_URL LEADS_CI_DATABASE=$(conn "$database") LEADS_CI_LOGS="$WORK/instance-$topology-$database-*.log" \
        bash "$ROOT/$script" >"$log" 2>&1 || status=$?
    local passed failed
    passed=$(grep -c '^PASS ' "$log" || true); failed=$(grep -c '^FAIL ' "$log" || true)
    local errors; errors=$(cat "$WORK"/instance-"$topology"-"$database"-*.log | grep -c '"@l":"\(Error\|Fatal\)"' || true)
    stop_nginx; stop_instances
    result "scenario $name $topology, 3 instances behind nginx: $passed passed, $failed failed (exit $status), $errors error lines logged"
    SCENARIO_ROWS+=("| $name | $topology | $passed | $failed | $errors |")
    if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
        grep '^FAIL ' "$log" | head -20 >&2 || true
        note_failure "scenario $name through $topology (see $log)"
    fi
}

# ---- the run ---------------------------------------------------------------------------------------

print_table() {
    local revision
    revision=$(git -C "$ROOT" log -1 --format=%h -- src 2>/dev/null || true)
    [ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] || revision+=" + local changes"
    {
        echo
        echo "src at ${revision:-this revision}; $ROUNDS round(s) of $DURATION s, $CONNECTIONS wrk connections through nginx $NGINX_VERSION, PgBouncer $BOUNCER_VERSION"
        echo
        echo "| topology | instances | GET /v1/leads/{id} req/s (vs 1) | accept req/s (vs 1) | non-2xx + socket errors | PostgreSQL sessions (+ listeners) | CPU % in the last GET round: service · postgres · pgbouncer+nginx · wrk · other | same, last accept round |"
        echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
        printf '%s\n' "${ROWS[@]}"
        if [ ${#SCENARIO_ROWS[@]} -gt 0 ]; then
            echo
            echo "| scenario, 3 instances behind nginx | topology | passed | failed | error lines logged |"
            echo "| --- | --- | --- | --- | --- |"
            printf '%s\n' "${SCENARIO_ROWS[@]}"
        fi
    } | tee -a "$WORK/table.md"
    [ -z "$OUT" ] || cp "$WORK/table.md" "$OUT"
}

main() {
    local started; started=$(date +%s)
    # New instances JIT their paths for several seconds (tiered compilation), longer on a busy machine.
    WARM_SECONDS=$WARM
    LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
    declare -gA BASE_GET BASE_ACCEPT
    ROWS=() SCENARIO_ROWS=() INSTANCE_PIDS=() INSTANCE_PORTS=()
    need_tools
    WORK=$(mktemp -d /tmp/bench-scale.XXXXXX)
    chmod 755 "$WORK" # the postgres user reaches its data folder through it
    say "mode $MODE: instances $INSTANCES, topologies $TOPOLOGIES, $ROUNDS rounds of $DURATION s, $CONNECTIONS connections; work folder $WORK"
    say "building the service (Release)"
    publish_service
    start_cluster
    start_bouncer

    say "migrating: the service applies its migrations at start"
    start_service migrate "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"

    ACCEPT_TAG=1 NEXT_ACCEPT=1
    ACCEPT_BODY='{"dealName":"Bench deal","estimatedValue":{"amount":12000.00,"currency":"EUR"},"estimatedCloseDate":"'$(date -d '+60 days' +%F)'"}'
    local topologies instances
    read -ra topologies <<<"$TOPOLOGIES"; read -ra instances <<<"$INSTANCES"
    # Every measured configuration warms up once and runs $ROUNDS accept rounds, each past its range's slack.
    ACCEPT_LEADS=$(( (${#topologies[@]} * ${#instances[@]} * (ROUNDS * DURATION + WARM_SECONDS)) * ACCEPT_RATE * 3 / 2 ))
    create_partner "Scale GET"; GET_PARTNER=$PARTNER GET_KEY=$KEY
    create_partner "Scale accept"; ACCEPT_PARTNER=$PARTNER ACCEPT_KEY=$KEY
    say "seeding $LEADS leads for the GET partner, $ACCEPT_LEADS received leads for the accepts"
    seed "$GET_PARTNER" "$LEADS" mix >/dev/null
    seed "$ACCEPT_PARTNER" "$ACCEPT_LEADS" received "$ACCEPT_TAG" >/dev/null
    sql -c "VACUUM (ANALYZE) leads.leads"
    GET_LEAD=$(sql -c "SELECT id FROM leads.leads WHERE partner_id = '$GET_PARTNER' ORDER BY received_at DESC LIMIT 1")

    NGINX_PORT=$(free_port)
    NGINX_URL="http://127.0.0.1:$NGINX_PORT"
    say "nginx $NGINX_VERSION on $NGINX_URL"
    # As bench/run.sh: the sweep runs (nothing is due), the reminder scheduler and the dispatcher stay off so no
    # worker's pass over the seeded leads lands in a round.
    local workers=(Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false) topology n
    for topology in "${topologies[@]}"; do
        for n in "${instances[@]}"; do
            start_instances "$n" "$topology" leads "${workers[@]}"
            stop_nginx; start_nginx "${INSTANCE_PORTS[@]:0:$n}"
            measure "$topology" "$n"
        done
        if $PROOFS; then prove_revocation "$topology"; fi
        local errors; errors=$(logged_errors "$topology-leads")
        [ "$errors" -eq 0 ] || note_failure "the $topology instances logged $errors error lines (see $WORK/instance-$topology-leads-*.log)"
        if [ "$topology" = pgbouncer ]; then
            say "PgBouncer pools at the end:"; bouncer_show POOLS | sed 's/^/  /' >&2
        fi
        stop_nginx; stop_instances
    done
    if $PROOFS && [[ " $TOPOLOGIES " == *" pgbouncer "* ]]; then prove_listen_through_bouncer; prove_auto_prepare; fi

    if $SCENARIOS; then
        for topology in "${topologies[@]}"; do
            scenario "$topology" cookbook .ci/curl-cookbook.sh
            scenario "$topology" clients .ci/clients.sh
        done
    fi

    LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
    result "machine load: 1-minute load average $LOAD_START at the start, $LOAD_END at the end, on $(nproc) cores (others' work is noise)"
    print_table
    say "done in $(( $(date +%s) - started )) s"
    [ "$FAILURES" -eq 0 ] || { say "$FAILURES check(s) failed; see the lines above (work folder kept)"; KEEP=true; exit 1; }
}

main
