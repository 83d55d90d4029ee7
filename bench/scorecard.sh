#!/usr/bin/env bash
# Issue 12's scorecard benchmark: GET /v1/partners/me/scorecard stays under 50 ms for a partner with 100k leads,
# never by reading every partner's. Builds the service in Release, starts a private PostgreSQL, seeds one partner
# with 100k leads over two years among 2,000 other partners with 1,000 leads each (2.1M leads), and measures at one
# connection the p50 and p99 of window=90d and window=365d through HTTP, the same SQL sent by pgbench (captured from
# the server's log, as bench/run.sh does), a partner with 1,000 leads (the cost of the others' leads, if any), and the
# hello-world Kestrel app as the floor. Prints one line per measurement, then a markdown table for docs/performance.md.
#
#   flock /tmp/leadsapi-bench.lock bash bench/scorecard.sh           # 2.1M leads, 3 rounds of 10 s (about 8 minutes)
#   flock /tmp/leadsapi-bench.lock bash bench/scorecard.sh --quick   # 100k + 200 x 1,000 leads, 3 rounds of 5 s
#   flock /tmp/leadsapi-bench.lock bash bench/scorecard.sh --smoke   # 10k + 20 x 500 leads, 1 round of 2 s (CI)
#   bash bench/scorecard.sh --help
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
Usage: bash bench/scorecard.sh [options]

  --quick            100k leads for the partner, 200 other partners with 1,000 each, 3 rounds of 5 s
  --smoke            10k leads, 20 other partners with 500 each, 1 round of 2 s: proves the harness runs
  --leads N          leads of the measured partner (default 100000)
  --others M         other partners (default 2000)
  --per-other K      leads of each other partner and of the small partner (default 1000)
  --days D           the days before now the leads were received over (default 730)
  --windows "W ..."  the scorecard windows to measure (default "90d 365d")
  --rounds R         rounds per measurement; medians are reported (default 3)
  --duration S       seconds per round (default 10)
  --target MS        the p99 the issue allows, in ms (default 50)
  --out FILE         also write the markdown table to FILE
  --plans FILE       write EXPLAIN (ANALYZE, BUFFERS) of the captured scorecard statements to FILE
  --keep             keep the work folder (logs, captured SQL, pgbench scripts) after the run
EOF
}

# ---- options ---------------------------------------------------------------------------------------

LEADS=100000
OTHERS=2000
PER_OTHER=1000
DAYS=730
WINDOWS="90d 365d"
ROUNDS=3
DURATION=10
TARGET=50
OUT=""
PLANS=""
KEEP=false
MODE=full

while [ $# -gt 0 ]; do
    case $1 in
        --quick) MODE=quick; OTHERS=200; DURATION=5 ;;
        --smoke) MODE=smoke; LEADS=10000; OTHERS=20; PER_OTHER=500; ROUNDS=1; DURATION=2 ;;
        --leads) LEADS=$2; shift ;;
        --others) OTHERS=$2; shift ;;
        --per-other) PER_OTHER=$2; shift ;;
        --days) DAYS=$2; shift ;;
        --windows) WINDOWS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --target) TARGET=$2; shift ;;
        --out) OUT=$2; shift ;;
        --plans) PLANS=$2; shift ;;
        --keep) KEEP=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench/scorecard.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

BENCH_NAME=scorecard
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

FAILURES=0
note_failure() { FAILURES=$((FAILURES + 1)); say "could not measure: $*"; }
short() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1000000; else if (n >= 1000) printf "%gk", n / 1000; else print n }'; }

need_tools() {
    for tool in wrk curl jq python3 dotnet; do
        command -v "$tool" >/dev/null || fail "$tool is required (bench/run.sh installs wrk when it is missing)"
    done
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pgbench" ] || fail "PostgreSQL server binaries and pgbench are required (PG_BIN=$PG_BIN)"
}

# ---- load generators -------------------------------------------------------------------------------

# The p-th percentile (0-100) of the numbers on standard input, nearest rank.
percentile() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) exit 1; r = int((p * NR + 99) / 100); print v[r < 1 ? 1 : r] }'; }

# pgbench_latency <name>: one round of $DURATION seconds of the captured script at one client, each transaction's
# time from pgbench's log. Sets PGB_P50 PGB_P99 (ms) PGB_TX PGB_OK.
pgbench_latency() {
    local name=$1 args=() out logs="$WORK/pgbench-log.$1.$RANDOM"
    while IFS= read -r define; do args+=(-D "$define"); done <"$WORK/capture-$name.defines"
    mkdir -p "$logs"
    out=$(cd "$logs" && "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M "$(jq -r .protocol "$WORK/capture-$name.json")" \
        -c 1 -j 1 -T "$DURATION" -l -f "$WORK/capture-$name.pgbench" "${args[@]}" leads 2>&1) && PGB_OK=true || PGB_OK=false
    echo "$out" >>"$WORK/pgbench.log"
    grep -q '^number of failed transactions: [1-9]' <<<"$out" && PGB_OK=false
    # Log lines: client transaction latency_us script epoch epoch_us.
    PGB_TX=$(cat "$logs"/pgbench_log.* 2>/dev/null | wc -l)
    if [ "$PGB_TX" -gt 0 ]; then
        PGB_P50=$(calc "$(awk '{ print $3 }' "$logs"/pgbench_log.* | percentile 50) / 1000" 2)
        PGB_P99=$(calc "$(awk '{ print $3 }' "$logs"/pgbench_log.* | percentile 99) / 1000" 2)
    else
        PGB_P50=0; PGB_P99=0; PGB_OK=false
    fi
    rm -rf "$logs"
}

# latency <label> <url> <key>: medians over the rounds of wrk's p50 and p99 at one connection. Sets LAT_P50 LAT_P99 LAT_N.
latency() {
    local label=$1 url=$2 key=$3 r p50="" p99="" n=0
    for r in $(seq "$ROUNDS"); do
        run_wrk 1 1 "$url" "$key"
        [ "$WRK_BAD" -eq 0 ] || note_failure "$label: $WRK_BAD non-2xx answers or socket errors"
        say "$label round $r: p50 $WRK_P50 ms, p99 $WRK_P99 ms ($WRK_REQUESTS requests)"
        p50+="$WRK_P50 "; p99+="$WRK_P99 "; n=$((n + WRK_REQUESTS))
    done
    LAT_P50=$(med "$p50" 2); LAT_P99=$(med "$p99" 2); LAT_N=$n
}

# sql_latency <name>: the same for the captured SQL of <name> by pgbench. Sets SQL_P50 SQL_P99 SQL_N.
sql_latency() {
    local name=$1 r p50="" p99="" n=0
    for r in $(seq "$ROUNDS"); do
        pgbench_latency "$name"
        $PGB_OK || note_failure "pgbench of $name (round $r)"
        say "pgbench $name round $r: p50 $PGB_P50 ms, p99 $PGB_P99 ms ($PGB_TX transactions)"
        p50+="$PGB_P50 "; p99+="$PGB_P99 "; n=$((n + PGB_TX))
    done
    SQL_P50=$(med "$p50" 2); SQL_P99=$(med "$p99" 2); SQL_N=$n
}

# ---- SQL capture and plans -------------------------------------------------------------------------

scorecard_url() { printf '%s/v1/partners/me/scorecard?window=%s' "$1" "$2"; }

capture_scorecards() {
    start_capture_service
    local window
    for window in $WINDOWS; do
        for _ in $(seq 10); do curl -sf -o /dev/null -H "Authorization: Bearer $KEY_BIG" "$(scorecard_url "$CAPTURE_URL" "$window")" || fail "scorecard warm-up"; done
        capture "sc-$window" get "$PARTNER_BIG" 0 "$PARTNER_BIG" -H "Authorization: Bearer $KEY_BIG" "$(scorecard_url "$CAPTURE_URL" "$window")"
    done
    stop_capture_service
}

# The captured statements over leads.leads with their parameters written in, each under EXPLAIN (ANALYZE, BUFFERS),
# run twice: the second, with the cache as the benchmark's rounds find it, is kept.
explain_scorecards() {
    local window file
    for window in $WINDOWS; do
        file="$WORK/explain-$window.txt"
        python3 - "$WORK/capture-sc-$window.pgbench" "$WORK/capture-sc-$window.defines" >"$WORK/explain-$window.sql" <<'EOF'
import re, sys
script, defines = sys.argv[1:3]
values = dict(line.rstrip("\n").split("=", 1) for line in open(defines) if "=" in line)
def literal(name):
    value = values[name]
    # Typed as Npgsql sent them: a bare literal in VALUES would be text.
    kind = "uuid" if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", value) else \
        "timestamptz" if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d", value) else None
    quoted = "'" + value.replace("'", "''") + "'"
    return quoted + "::" + kind if kind else quoted
for line in open(script):
    if "leads.leads" not in line:
        continue
    sql = re.sub(r":(t\d+s\d+p\d+)", lambda m: literal(m.group(1)), line.strip())
    print("EXPLAIN (ANALYZE, BUFFERS) " + sql.rstrip(";") + ";")
EOF
        [ -s "$WORK/explain-$window.sql" ] || { note_failure "no scorecard statement in the captured SQL of $window"; continue; }
        sql -f "$WORK/explain-$window.sql" >/dev/null
        {
            echo "-- window=$window: $(grep -c . "$WORK/explain-$window.sql") statement(s)"
            sql -P pager=off -f "$WORK/explain-$window.sql" | awk '/^Planning Time/ { print; print ""; next } { print }'
        } >"$file"
        say "plan for $window: $(grep -o 'Index Only Scan using [a-z_]*\|Seq Scan on [a-z_]*\|Index Scan using [a-z_]*\|Bitmap Heap Scan on [a-z_]*' "$file" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
    done
    [ -z "$PLANS" ] || cat "$WORK"/explain-*.txt >"$PLANS"
}

# ---- the run ---------------------------------------------------------------------------------------

main() {
    local started; started=$(date +%s)
    LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
    need_tools
    WORK=$(mktemp -d /tmp/bench-scorecard.XXXXXX)
    chmod 755 "$WORK" # the postgres user reaches its data folder through it
    say "mode $MODE: $LEADS leads for the partner, $OTHERS others with $PER_OTHER each, over $DAYS days; windows $WINDOWS; $ROUNDS rounds of $DURATION s; work folder $WORK"

    say "building the service and HelloKestrel (Release)"
    publish_service
    dotnet publish "$ROOT/bench/HelloKestrel" -c Release -o "$WORK/hello" -nologo -v q >>"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; fail "dotnet publish bench/HelloKestrel"; }
    start_cluster

    say "migrating: the service applies its migrations at start"
    start_service migrate "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"

    create_partner "Scorecard $(short "$LEADS") leads"; PARTNER_BIG=$PARTNER KEY_BIG=$KEY
    create_partner "Scorecard $(short "$PER_OTHER") leads"; PARTNER_SMALL=$PARTNER KEY_SMALL=$KEY
    local seeding; seeding=$(now)
    say "seeding $LEADS leads for $PARTNER_BIG and $OTHERS other partners with $PER_OTHER each"
    # The trigram indexes of the search take most of an insert's time row by row (their pending lists fill every few
    # hundred rows): dropped for the seeding and built again from their own definitions after it, the same indexes.
    sql -c "SELECT indexdef || ';' FROM pg_indexes WHERE schemaname = 'leads' AND tablename = 'leads' AND indexdef LIKE '%USING gin%'" >"$WORK/gin-indexes.sql"
    sql -c "SELECT 'DROP INDEX leads.' || indexname || ';' FROM pg_indexes WHERE schemaname = 'leads' AND tablename = 'leads' AND indexdef LIKE '%USING gin%'" | sql >/dev/null
    sql -v partner_id="$PARTNER_BIG" -v leads="$LEADS" -v others="$OTHERS" -v per_other="$PER_OTHER" -v days="$DAYS" \
        -f "$ROOT/bench/seed-scorecard.sql" >/dev/null
    sql -v partner_id="$PARTNER_SMALL" -v leads="$PER_OTHER" -v days="$DAYS" -v seed=0.24 -f "$ROOT/bench/seed-scorecard.sql" >/dev/null
    { echo "SET maintenance_work_mem = '512MB';"; cat "$WORK/gin-indexes.sql"; } | sql >/dev/null
    # Hint bits and the visibility map now: the index-only scans need all-visible pages, as autovacuum leaves them.
    sql -c "VACUUM (ANALYZE) leads.leads, leads.partner_days, leads.partner_day_breakdowns"
    # A first VACUUM right after the seeding left a quarter of the pages not all-visible (every lead of the partner then
    # cost a heap fetch); a second one, which reads only those pages, sets them.
    sql -c "VACUUM leads.leads"
    TOTAL_LEADS=$(sql -c "SELECT count(*) FROM leads.leads")
    say "seeded $TOTAL_LEADS leads in $(calc "$(now) - $seeding" 0) s; leads.leads is $(sql -c "SELECT pg_size_pretty(pg_table_size('leads.leads'))"), ix_leads_scorecard $(sql -c "SELECT pg_size_pretty(pg_relation_size('leads.ix_leads_scorecard'))"), $(sql -c "SELECT round(100.0 * relallvisible / relpages) FROM pg_class WHERE oid = 'leads.leads'::regclass")% of the pages all-visible"
    result "seeded: $TOTAL_LEADS leads; partner $LEADS, $(sql -c "SELECT count(*) FROM leads.leads WHERE partner_id = '$PARTNER_BIG' GROUP BY status ORDER BY status" | paste -sd/ -) by status (accepted/declined/expired/lost/received/won)"

    capture_scorecards
    explain_scorecards

    SERVICE_PORT=$(free_port)
    SERVICE_URL="http://127.0.0.1:$SERVICE_PORT"
    start_service service "$SERVICE_PORT" Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    local first=${WINDOWS%% *}
    BODY_BYTES=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $KEY_BIG" "$(scorecard_url "$SERVICE_URL" "$first")") \
        || fail "the scorecard answered an error"
    HELLO_PORT=$(free_port)
    HELLO_URL="http://127.0.0.1:$HELLO_PORT"
    start_bg "$WORK/hello.log" env ASPNETCORE_URLS="$HELLO_URL" Hello__BodyBytes="$BODY_BYTES" dotnet "$WORK/hello/HelloKestrel.dll"
    wait_http "$HELLO_URL/" "$STARTED" "$WORK/hello.log"

    say "warming up"
    local duration=$DURATION window; DURATION=$(( DURATION < 3 ? DURATION : 3 ))
    for window in $WINDOWS; do run_wrk 1 1 "$(scorecard_url "$SERVICE_URL" "$window")" "$KEY_BIG"; done
    run_wrk 1 1 "$(scorecard_url "$SERVICE_URL" "$first")" "$KEY_SMALL"
    run_wrk 1 1 "$HELLO_URL/v1/partners/me/scorecard" "$KEY_BIG"
    DURATION=$duration

    declare -gA P50 P99 SQLP50 SQLP99 SMALLP50 SMALLP99 RATIO
    local label
    for window in $WINDOWS; do
        label="scorecard-$window $(short "$LEADS")"
        latency "$label" "$(scorecard_url "$SERVICE_URL" "$window")" "$KEY_BIG"
        P50[$window]=$LAT_P50; P99[$window]=$LAT_P99
        result "$label: p50 $LAT_P50 ms, p99 $LAT_P99 ms ($LAT_N requests, 1 connection)"
        sql_latency "sc-$window"
        SQLP50[$window]=$SQL_P50; SQLP99[$window]=$SQL_P99
        RATIO[$window]=$(calc "$LAT_P50 / $SQL_P50" 2)
        result "scorecard-$window-sql: p50 $SQL_P50 ms, p99 $SQL_P99 ms ($SQL_N transactions of $(capture_words "sc-$window"); service p50 ${RATIO[$window]}x)"
        label="scorecard-$window $(short "$PER_OTHER")"
        latency "$label" "$(scorecard_url "$SERVICE_URL" "$window")" "$KEY_SMALL"
        SMALLP50[$window]=$LAT_P50; SMALLP99[$window]=$LAT_P99
        result "$label: p50 $LAT_P50 ms, p99 $LAT_P99 ms ($LAT_N requests, 1 connection)"
    done
    latency hello "$HELLO_URL/v1/partners/me/scorecard" "$KEY_BIG"
    HELLO_P50=$LAT_P50 HELLO_P99=$LAT_P99
    result "hello-world Kestrel: p50 $LAT_P50 ms, p99 $LAT_P99 ms ($LAT_N requests, body $BODY_BYTES bytes)"

    LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
    result "machine load: 1-minute load average $LOAD_START at the start, $LOAD_END at the end, on $(nproc) cores (others' work is noise)"
    print_table
    local missed=""
    for window in $WINDOWS; do
        [ "$(calc "(${P99[$window]} > $TARGET)" 0)" = 0 ] || missed+=" $window (p99 ${P99[$window]} ms)"
    done
    if [ -n "$missed" ]; then result "target: missed for$missed, over $TARGET ms"; else result "target: p99 under $TARGET ms for every window"; fi
    say "done in $(( $(date +%s) - started )) s"
    [ "$FAILURES" -eq 0 ] || { say "$FAILURES measurement(s) failed; see the lines above (work folder kept)"; KEEP=true; exit 1; }
}

capture_words() { jq -r '"\(.round_trips) round trips, \(.statements) statements"' "$WORK/capture-$1.json"; }

print_table() {
    local revision window big small
    big=$(short "$LEADS"); small=$(short "$PER_OTHER")
    # The column names the revision of the service measured: the last commit that changed src/.
    revision=$(git -C "$ROOT" log -1 --format=%h -- src 2>/dev/null || true)
    [ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] || revision+=" + local changes"
    revision=${revision:-this revision}
    {
        echo
        echo "| GET /v1/partners/me/scorecard, 1 connection, $(short "$TOTAL_LEADS") leads in all | $revision p50 | p99 | target |"
        echo "| --- | --- | --- | --- |"
        for window in $WINDOWS; do
            echo "| window=$window, partner with $big leads | ${P50[$window]} ms | ${P99[$window]} ms | p99 < $TARGET ms |"
            echo "| its SQL by pgbench ($(capture_words "sc-$window")) | ${SQLP50[$window]} ms | ${SQLP99[$window]} ms | service p50 ${RATIO[$window]}x of it |"
            echo "| window=$window, partner with $small leads | ${SMALLP50[$window]} ms | ${SMALLP99[$window]} ms | does not grow with the others' leads |"
        done
        echo "| hello-world Kestrel, $BODY_BYTES bytes (the floor) | $HELLO_P50 ms | $HELLO_P99 ms | |"
    } | tee -a "$WORK/table.md"
    [ -z "$OUT" ] || cp "$WORK/table.md" "$OUT"
}

main
