#!/usr/bin/env bash
# Issue 10's benchmark harness. Builds the service in Release, starts a private PostgreSQL tuned for
# benchmarks, seeds partners with leads, and measures each path of the issue against a ceiling measured
# back to back in the same run: pgbench sending exactly the SQL the service sends (captured from the
# server's log), a hello-world Kestrel app, list latencies, keyset paging, the expiry sweep and the
# service's memory. Prints one line per measurement, then a markdown table for docs/performance.md.
#
#   bash bench/run.sh             # 10k and 1M leads, 3 rounds of 15 s (about 20 minutes)
#   bash bench/run.sh --quick     # 10k leads, short rounds
#   bash bench/run.sh --help      # every option
#
# Everything it starts lives in one /tmp/bench-run.* folder and is stopped and removed at exit. It works
# on any revision of src/: it reads the SQL the service sends instead of knowing it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
Usage: bash bench/run.sh [options]

  --quick                10k leads, 3 rounds of 5 s, 50k due leads, sweep wait capped at 2 min
  --smoke                --quick with 1 round of 2 s and 5k due leads: proves the harness runs (CI)
  --sizes "N ..."        leads of the list partners, one partner per size (default "10000 1000000")
  --rounds R             rounds per measurement; medians are reported (default 3)
  --duration S           seconds per round (default 15)
  --connections C        wrk connections and pgbench clients for the throughput rows (default 32)
  --threads T            wrk and pgbench threads (default 2)
  --latency-connections C  connections for the latency rows (default 1: the request's own time, not queueing)
  --due M                due leads for the expiry sweep (default 1000000)
  --sweep-batch B        Leads__ExpirySweepBatchSize for the service (default: the service's own)
  --sweep-wait S         stop waiting for the sweep after S seconds and extrapolate (default 300)
  --accept-rate R        accepts per second to seed fresh leads for, per run (default 8000)
  --out FILE             also write the markdown table to FILE
  --keep                 keep the work folder (logs, captured SQL, pgbench scripts) after the run
EOF
}

# ---- options ---------------------------------------------------------------------------------------

SIZES="10000 1000000"
ROUNDS=3
DURATION=15
CONNECTIONS=32
THREADS=2
LATENCY_CONNECTIONS=1
DUE=1000000
SWEEP_BATCH=""
SWEEP_WAIT=300
ACCEPT_RATE=8000
OUT=""
KEEP=false
MODE=full

while [ $# -gt 0 ]; do
    case $1 in
        --quick) MODE=quick; SIZES=10000; DURATION=5; DUE=50000; SWEEP_WAIT=120 ;;
        --smoke) MODE=smoke; SIZES=10000; ROUNDS=1; DURATION=2; DUE=5000; SWEEP_WAIT=60 ;;
        --sizes) SIZES=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --threads) THREADS=$2; shift ;;
        --latency-connections) LATENCY_CONNECTIONS=$2; shift ;;
        --due) DUE=$2; shift ;;
        --sweep-batch) SWEEP_BATCH=$2; shift ;;
        --sweep-wait) SWEEP_WAIT=$2; shift ;;
        --accept-rate) ACCEPT_RATE=$2; shift ;;
        --out) OUT=$2; shift ;;
        --keep) KEEP=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

# ---- plumbing --------------------------------------------------------------------------------------

# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

# ---- tools, build ----------------------------------------------------------------------------------

need_tools() {
    if ! command -v wrk >/dev/null; then
        say "installing wrk (Debian's package)"
        { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null
    fi
    for tool in wrk curl jq python3 dotnet; do
        command -v "$tool" >/dev/null || fail "$tool is required"
    done
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pgbench" ] || fail "PostgreSQL server binaries and pgbench are required (PG_BIN=$PG_BIN)"
}

build() {
    say "building the service and HelloKestrel (Release)"
    publish_service
    dotnet publish "$ROOT/bench/HelloKestrel" -c Release -o "$WORK/hello" -nologo -v q >>"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; fail "dotnet publish bench/HelloKestrel"; }
    # The ceiling runs with the service's GC settings, whatever this revision chose.
    local config="$WORK/hello/HelloKestrel.runtimeconfig.json"
    jq --slurpfile service "$WORK/service/LeadsApi.runtimeconfig.json" \
        '.runtimeOptions.configProperties += ($service[0].runtimeOptions.configProperties
            | with_entries(select(.key | startswith("System.GC."))))' "$config" >"$config.new"
    mv "$config.new" "$config"
    # And the GC settings the image sets in its environment (the Dockerfile's ENV DOTNET_GC...), for every process here.
    local setting
    for setting in $(sed -n 's/^ENV \(DOTNET_GC[A-Za-z0-9_]*=[^ ]*\).*/\1/p' "$ROOT/Dockerfile"); do
        export "${setting?}"
        say "GC setting from the Dockerfile: $setting"
    done
}

# ---- load generators -------------------------------------------------------------------------------

# run_pgbench <script> <defines file> <protocol> [-D name=value ...]: one round at $CONNECTIONS clients.
# Sets PGB_TPS PGB_TX PGB_OK (false when pgbench failed or a transaction did).
run_pgbench() {
    local script=$1 defines=$2 protocol=$3; shift 3
    local args=() out
    while IFS= read -r define; do args+=(-D "$define"); done <"$defines"
    out=$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M "$protocol" -c "$CONNECTIONS" -j "$THREADS" \
        -T "$DURATION" -f "$script" "${args[@]}" "$@" leads 2>&1) && PGB_OK=true || PGB_OK=false
    echo "$out" >>"$WORK/pgbench.log"
    PGB_TPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
    PGB_TX=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    grep -q '^number of failed transactions: [1-9]' <<<"$out" && PGB_OK=false
    [ -n "$PGB_TPS" ] || { PGB_TPS=0; PGB_TX=0; PGB_OK=false; }
}

# ---- SQL capture -----------------------------------------------------------------------------------

capture_sql() {
    local url
    start_capture_service
    url=$CAPTURE_URL

    # Warm: the first requests load types, fill the pool and caches; the captured one is a steady-state request.
    for _ in $(seq 20); do curl -sf -o /dev/null -H "Authorization: Bearer $GET_KEY" "$url/v1/leads/$GET_LEAD" || fail "GET warm-up"; done
    for n in 1 2 3 4 5; do
        curl -sf -o /dev/null -X POST -H "Authorization: Bearer $ACCEPT_KEY" -H 'Content-Type: application/json' \
            -d "$ACCEPT_BODY" "$url/v1/leads/$(bench_uuid "$ACCEPT_TAG" "$n")/accept" || fail "accept warm-up"
    done

    capture get get "$GET_LEAD" 0 "$GET_PARTNER" -H "Authorization: Bearer $GET_KEY" "$url/v1/leads/$GET_LEAD"
    capture accept accept "$(bench_uuid "$ACCEPT_TAG" 6)" "$ACCEPT_TAG" "$ACCEPT_PARTNER" -X POST \
        -H "Authorization: Bearer $ACCEPT_KEY" -H 'Content-Type: application/json' -d "$ACCEPT_BODY" \
        "$url/v1/leads/$(bench_uuid "$ACCEPT_TAG" 6)/accept"
    stop_capture_service
}


# ---- memory ----------------------------------------------------------------------------------------

# Samples the service's resident set every half second; VmHWM is the kernel's own peak.
start_rss_poller() {
    local pid=$1
    start_bg "$WORK/rss.log" bash -c "while kill -0 $pid 2>/dev/null; do
        awk '/^VmRSS|^VmHWM/ { printf \"%s %s \", \$1, \$2 } END { print \"\" }' /proc/$pid/status; sleep 0.5; done"
}
rss_mb() { awk "/^$2:/ { printf \"%.0f\", \$2 / 1024 }" "/proc/$1/status"; }

# ---- measurements ----------------------------------------------------------------------------------

FAILURES=0
note_failure() { FAILURES=$((FAILURES + 1)); say "could not measure: $*"; }

# GET by id, back to back in each round: the service, pgbench of its SQL, the hello-world app.
measure_get() {
    local url="$SERVICE_URL/v1/leads/$GET_LEAD" protocol r ratios_pg="" ratios_hello="" service="" pg="" hello=""
    protocol=$(jq -r .protocol "$WORK/capture-get.json")
    for r in $(seq "$ROUNDS"); do
        run_wrk "$CONNECTIONS" "$THREADS" "$url" "$GET_KEY"
        local rps=$WRK_RPS bad=$WRK_BAD
        run_pgbench "$WORK/capture-get.pgbench" "$WORK/capture-get.defines" "$protocol"
        run_wrk "$CONNECTIONS" "$THREADS" "$HELLO_URL/v1/leads/$GET_LEAD" "$GET_KEY"
        say "GET round $r: service $rps req/s (bad $bad), pgbench $PGB_TPS tps ($PGB_OK), hello $WRK_RPS req/s"
        [ "$bad" -eq 0 ] && $PGB_OK || note_failure "GET round $r (non-2xx $bad, pgbench ok $PGB_OK)"
        service+="$rps "; pg+="$PGB_TPS "; hello+="$WRK_RPS "
        ratios_pg+="$(calc "$rps / $PGB_TPS" 3) "
        ratios_hello+="$(calc "$rps / $WRK_RPS" 3) "
    done
    GET_RPS=$(med "$service" 0)
    GET_PG=$(med "$pg" 0)
    GET_HELLO=$(med "$hello" 0)
    GET_VS_PG=$(med "$ratios_pg" 2)
    GET_VS_HELLO=$(med "$ratios_hello" 3)
    result "get-vs-pgbench: ratio $GET_VS_PG (service $GET_RPS req/s, pgbench $GET_PG tps, $CONNECTIONS clients; $(capture_words get))"
    result "get-vs-hello: ratio $GET_VS_HELLO (service $GET_RPS req/s, hello-world Kestrel $GET_HELLO req/s, body $GET_BODY_BYTES bytes)"
}

capture_words() { jq -r '"\(.round_trips) round trips, \(.statements) statements, -M \(.protocol)"' "$WORK/capture-$1.json"; }

# Accept, back to back in each round: wrk walks one range of fresh leads, pgbench the next.
measure_accept() {
    local protocol r ratios="" service="" pg="" first
    protocol=$(jq -r .protocol "$WORK/capture-accept.json")
    for r in $(seq "$ROUNDS"); do
        first=$((ACCEPT_RESERVED + 1 + (2 * (r - 1)) * ACCEPT_PER_RUN))
        run_wrk "$CONNECTIONS" "$THREADS" "$SERVICE_URL" "$ACCEPT_KEY" BENCH_METHOD=POST BENCH_BODY="$ACCEPT_BODY" \
            BENCH_WALK='/v1/leads/%s/accept' BENCH_WALK_TAG="$ACCEPT_TAG" BENCH_WALK_FIRST="$first"
        local rps=$WRK_RPS bad=$WRK_BAD requests=$WRK_REQUESTS
        first=$((first + ACCEPT_PER_RUN))
        run_pgbench "$WORK/capture-accept.pgbench" "$WORK/capture-accept.defines" "$protocol" \
            -D first="$first" -D clients="$CONNECTIONS" -D i=0
        say "accept round $r: service $rps req/s (bad $bad), pgbench $PGB_TPS tps ($PGB_OK, $PGB_TX transactions)"
        if [ "$requests" -gt "$ACCEPT_PER_RUN" ] || [ "${PGB_TX:-0}" -gt "$ACCEPT_PER_RUN" ]; then
            note_failure "accept round $r ran past the $ACCEPT_PER_RUN seeded leads: raise --accept-rate"
        fi
        [ "$bad" -eq 0 ] && $PGB_OK || note_failure "accept round $r (non-2xx $bad, pgbench ok $PGB_OK)"
        service+="$rps "; pg+="$PGB_TPS "
        ratios+="$(calc "$rps / $PGB_TPS" 3) "
    done
    ACCEPT_RPS=$(med "$service" 0)
    ACCEPT_PG=$(med "$pg" 0)
    ACCEPT_VS_PG=$(med "$ratios" 2)
    result "accept-vs-pgbench: ratio $ACCEPT_VS_PG (service $ACCEPT_RPS req/s, pgbench $ACCEPT_PG tps, $CONNECTIONS clients; $(capture_words accept))"
}

# Latency of one list URL: medians over the rounds of wrk's p50 and p99. Sets LAT_P50 LAT_P99 LAT_N.
measure_latency() {
    local url=$1 key=$2 r p50="" p99="" n=0
    for r in $(seq "$ROUNDS"); do
        run_wrk "$LATENCY_CONNECTIONS" 1 "$url" "$key"
        [ "$WRK_BAD" -eq 0 ] || note_failure "$url answered $WRK_BAD errors"
        p50+="$WRK_P50 "; p99+="$WRK_P99 "; n=$((n + WRK_REQUESTS))
    done
    LAT_P50=$(med "$p50" 1)
    LAT_P99=$(med "$p99" 1)
    LAT_N=$n
}

measure_lists() {
    local size=$1 partner=$2 key=$3 base="$SERVICE_URL/v1/leads"
    measure_latency "$base?limit=50" "$key"
    LIST_P50[$size]=$LAT_P50; LIST_P99[$size]=$LAT_P99
    result "list-default $size: p50 $LAT_P50 ms, p99 $LAT_P99 ms ($LAT_N requests, $LATENCY_CONNECTIONS connection(s))"

    measure_latency "$base?limit=50&q=zzqx-no-match" "$key"
    SEARCH_P50[$size]=$LAT_P50; SEARCH_P99[$size]=$LAT_P99
    result "list-q-no-match $size: p50 $LAT_P50 ms, p99 $LAT_P99 ms ($LAT_N requests)"

    if [ "$size" -lt 10000 ]; then
        say "keyset: $size leads have no page 200 of 50"
        return 0
    fi
    # Page 200 as a client reaches it: following nextLink from the first page.
    local link="/v1/leads?limit=50" page
    for page in $(seq 199); do
        link=$(curl -sf -H "Authorization: Bearer $key" "$SERVICE_URL$link" | jq -r '.nextLink // empty' || true)
        [ -n "$link" ] || { note_failure "keyset: no nextLink after page $page"; return 0; }
    done
    local r ratios="" first="" deep=""
    for r in $(seq "$ROUNDS"); do
        run_wrk "$LATENCY_CONNECTIONS" 1 "$base?limit=50" "$key"
        local p1=$WRK_P50
        run_wrk "$LATENCY_CONNECTIONS" 1 "$SERVICE_URL$link" "$key"
        [ "$WRK_BAD" -eq 0 ] || note_failure "page 200 answered $WRK_BAD errors"
        first+="$p1 "; deep+="$WRK_P50 "
        ratios+="$(calc "$WRK_P50 / $p1" 3) "
    done
    KEYSET[$size]=$(med "$ratios" 2)
    result "keyset-page-200-vs-1 $size: ${KEYSET[$size]}x (p50 page 1 $(med "$first" 2) ms, page 200 $(med "$deep" 2) ms)"
}

# The expiry sweep: GET throughput, then $DUE leads fall due at once (one INSERT), then GET throughput while
# the service's sweep (every second) writes them down, until none is due or $SWEEP_WAIT seconds passed.
measure_sweep() {
    local url="$SERVICE_URL/v1/leads/$GET_LEAD" r before="" during=""
    for r in $(seq "$ROUNDS"); do
        run_wrk "$CONNECTIONS" "$THREADS" "$url" "$GET_KEY"
        before+="$WRK_RPS "
    done
    SWEEP_GET_BEFORE=$(med "$before" 0)

    say "seeding $DUE due leads"
    # Without the ANALYZE: the sweep starts at the INSERT's commit, and so does the clock.
    sql -v partner_id="$SWEEP_PARTNER" -v leads="$DUE" -v shape=due -v tag="$DUE_TAG" -v analyze=off -f "$ROOT/bench/seed-bench.sql" >/dev/null
    local started; started=$(now)
    # A cheap check every second (one index probe); the full count only once, if the wait is cut short.
    start_bg "$WORK/sweep-poll.log" bash -c "
        while :; do
            left=\$(\"$PG_BIN/psql\" -X -A -t -h 127.0.0.1 -p $PG_PORT -U postgres -d leads -c \"SELECT count(*) FROM (SELECT 1 FROM leads.leads WHERE status = 'received' AND respond_by <= now() LIMIT 1) due\")
            [ \"\$left\" = 0 ] && { date +%s.%N > '$WORK/sweep-done'; exit 0; }
            sleep 1
        done"
    local poller=$STARTED
    # The first round always counts (the sweep is running when it starts); a later one only when the sweep
    # was still running at its end.
    run_wrk "$CONNECTIONS" "$THREADS" "$url" "$GET_KEY"
    during+="$WRK_RPS "
    [ ! -f "$WORK/sweep-done" ] || SWEEP_NOTE=" (the sweep ended during the first round)"
    for r in $(seq 2 "$ROUNDS"); do
        [ ! -f "$WORK/sweep-done" ] || break
        run_wrk "$CONNECTIONS" "$THREADS" "$url" "$GET_KEY"
        [ -f "$WORK/sweep-done" ] || during+="$WRK_RPS "
    done
    while [ ! -f "$WORK/sweep-done" ] && [ "$(calc "$(now) - $started" 0)" -lt "$SWEEP_WAIT" ]; do sleep 1; done
    SWEEP_GET_DURING=$(med "$during" 0)
    SWEEP_GET_RATIO=$(calc "$SWEEP_GET_DURING / $SWEEP_GET_BEFORE" 2)

    if [ -f "$WORK/sweep-done" ]; then
        SWEEP_SECONDS=$(calc "$(cat "$WORK/sweep-done") - $started" 1)
        SWEEP_RATE=$(calc "$DUE / $SWEEP_SECONDS" 0)
        SWEEP_TEXT="$SWEEP_RATE leads/s ($DUE due leads in $SWEEP_SECONDS s)"
    else
        stop_bg "$poller"
        local left elapsed
        left=$(sql -c "SELECT count(*) FROM leads.leads WHERE status = 'received' AND respond_by <= now()")
        elapsed=$(calc "$(now) - $started" 1)
        SWEEP_RATE=$(calc "($DUE - $left) / $elapsed" 0)
        SWEEP_TEXT="$SWEEP_RATE leads/s ($((DUE - left)) of $DUE in $elapsed s, stopped waiting; all of them in about $(calc "$DUE / ($SWEEP_RATE + 0.001)" 0) s)"
    fi
    result "expiry-sweep: $SWEEP_TEXT; GET during the sweep $SWEEP_GET_DURING req/s vs $SWEEP_GET_BEFORE before: ${SWEEP_GET_RATIO}${SWEEP_NOTE:-}"
}

# ---- the table -------------------------------------------------------------------------------------

short() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1000000; else if (n >= 1000) printf "%gk", n / 1000; else print n }'; }

print_table() {
    local big=${SIZE_LIST[-1]} others="" size label
    label=$(short "$big")
    rest() { # the other sizes, for a cell: "; 10k: p99 3.1 ms"
        local s text=""
        for s in "${SIZE_LIST[@]}"; do
            [ "$s" = "$big" ] && continue
            text+="; $(short "$s"): $("$@" "$s")"
        done
        printf '%s' "$text"
    }
    list_cell() { printf 'p99 %s ms (p50 %s)' "${LIST_P99[$1]}" "${LIST_P50[$1]}"; }
    search_cell() { printf 'p99 %s ms (p50 %s)' "${SEARCH_P99[$1]}" "${SEARCH_P50[$1]}"; }
    keyset_cell() { printf '%sx' "${KEYSET[$1]:-n/a}"; }
    # The column names the revision of the service measured: the last commit that changed src/.
    local revision
    revision=$(git -C "$ROOT" log -1 --format=%h -- src 2>/dev/null || true)
    [ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] || revision+=" + local changes"
    revision=${revision:-this revision}
    {
        echo
        echo "| path | $revision | target |"
        echo "| --- | --- | --- |"
        echo "| GET /v1/leads/{id} req/s vs pgbench of its SQL, $CONNECTIONS clients | $GET_VS_PG ($GET_RPS vs $GET_PG; $(capture_words get | sed 's/, -M.*//')) | >= 0.6 |"
        echo "| GET /v1/leads/{id} vs hello-world Kestrel | $GET_VS_HELLO ($GET_RPS vs $GET_HELLO) | >= 0.15 |"
        echo "| accept req/s vs pgbench of its transaction, $CONNECTIONS clients | $ACCEPT_VS_PG ($ACCEPT_RPS vs $ACCEPT_PG; $(capture_words accept | sed 's/, -M.*//')) | >= 0.7 |"
        echo "| list p99, default sort, 50 items, one partner with $label leads | $(list_cell "$big")$(rest list_cell) | <= 10 ms |"
        echo "| list q= with no match, $label leads | $(search_cell "$big")$(rest search_cell) | <= 50 ms |"
        echo "| page 200 vs page 1 (keyset), $label leads | $(keyset_cell "$big")$(rest keyset_cell) | <= 1.3x |"
        echo "| expiry sweep | $SWEEP_TEXT; GET during sweep $SWEEP_GET_RATIO of before | 1M due leads in < 60 s, GET during sweep >= 0.9 of before |"
        echo "| RSS | $RSS_IDLE MB idle, $RSS_PEAK MB peak | <= 200 MB peak |"
    } | tee -a "$WORK/table.md"
    [ -z "$OUT" ] || cp "$WORK/table.md" "$OUT"
}

# ---- the run ---------------------------------------------------------------------------------------

main() {
    local started; started=$(date +%s)
    WARM_SECONDS=$(( DURATION < 5 ? DURATION : 5 ))
    LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
    read -ra SIZE_LIST <<<"$(tr ' ' '\n' <<<"$SIZES" | sort -n | tr '\n' ' ')"
    declare -gA LIST_P50 LIST_P99 SEARCH_P50 SEARCH_P99 KEYSET
    need_tools
    WORK=$(mktemp -d /tmp/bench-run.XXXXXX)
    chmod 755 "$WORK" # the postgres user reaches its data folder through it
    say "mode $MODE: sizes $SIZES, $ROUNDS rounds of $DURATION s, $CONNECTIONS connections, $THREADS threads; work folder $WORK"
    build
    start_cluster

    say "migrating: the service applies its migrations at start"
    start_service migrate "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"

    # Fresh received leads for the accepts: a few for the capture, then one range per run (wrk's, pgbench's).
    ACCEPT_TAG=1 DUE_TAG=2 ACCEPT_RESERVED=100
    ACCEPT_PER_RUN=$((ACCEPT_RATE * DURATION))
    ACCEPT_BODY='{"dealName":"Bench deal","estimatedValue":{"amount":12000.00,"currency":"EUR"},"estimatedCloseDate":"'$(date -d '+60 days' +%F)'"}'
    create_partner "Bench accept"; ACCEPT_PARTNER=$PARTNER ACCEPT_KEY=$KEY
    create_partner "Bench sweep"; SWEEP_PARTNER=$PARTNER
    declare -gA SIZE_PARTNER SIZE_KEY
    local size
    for size in "${SIZE_LIST[@]}"; do
        create_partner "Bench $size leads"; SIZE_PARTNER[$size]=$PARTNER SIZE_KEY[$size]=$KEY
        say "seeding $size leads for partner $PARTNER"
        seed "$PARTNER" "$size" mix >/dev/null
    done
    # The warm-up's range comes last: a warm-up that runs past it meets missing leads (404s), not a round's.
    ACCEPT_WARM_FIRST=$((ACCEPT_RESERVED + 1 + 2 * ROUNDS * ACCEPT_PER_RUN))
    local accept_leads=$((ACCEPT_WARM_FIRST - 1 + WARM_SECONDS * 2000))
    say "seeding $accept_leads received leads for the accepts"
    seed "$ACCEPT_PARTNER" "$accept_leads" received "$ACCEPT_TAG" >/dev/null
    # Hint bits and the visibility map now, so neither a first reader nor autovacuum pays for the seeding mid-run.
    sql -c "VACUUM (ANALYZE) leads.leads"

    # GET reads the newest lead of the smallest partner.
    GET_PARTNER=${SIZE_PARTNER[${SIZE_LIST[0]}]} GET_KEY=${SIZE_KEY[${SIZE_LIST[0]}]}
    GET_LEAD=$(sql -c "SELECT id FROM leads.leads WHERE partner_id = '$GET_PARTNER' ORDER BY received_at DESC LIMIT 1")

    capture_sql

    SERVICE_PORT=$(free_port)
    SERVICE_URL="http://127.0.0.1:$SERVICE_PORT"
    # The sweep looks every second from the start (nothing is due until measure_sweep seeds due leads); the
    # reminder scheduler and webhook dispatcher stay off, so no worker's pass over the seeded leads lands in a round.
    local sweep_settings=(Leads__ExpirySweepInterval=00:00:01 Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false)
    [ -z "$SWEEP_BATCH" ] || sweep_settings+=(Leads__ExpirySweepBatchSize="$SWEEP_BATCH")
    start_service service "$SERVICE_PORT" "${sweep_settings[@]}"
    local service_pid=$SERVICE_PID
    start_rss_poller "$service_pid"
    # Idle: started, and each path answered once (the code is loaded), before any load.
    curl -sf -o /dev/null -H "Authorization: Bearer $GET_KEY" "$SERVICE_URL/v1/leads/$GET_LEAD"
    curl -sf -o /dev/null -H "Authorization: Bearer $GET_KEY" "$SERVICE_URL/v1/leads?limit=50"
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $ACCEPT_KEY" -H 'Content-Type: application/json' \
        -d "$ACCEPT_BODY" "$SERVICE_URL/v1/leads/$(bench_uuid "$ACCEPT_TAG" 7)/accept"
    sleep 2
    RSS_IDLE=$(rss_mb "$service_pid" VmRSS)
    GET_BODY_BYTES=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $GET_KEY" "$SERVICE_URL/v1/leads/$GET_LEAD")

    HELLO_PORT=$(free_port)
    HELLO_URL="http://127.0.0.1:$HELLO_PORT"
    start_bg "$WORK/hello.log" env ASPNETCORE_URLS="$HELLO_URL" Hello__BodyBytes="$GET_BODY_BYTES" dotnet "$WORK/hello/HelloKestrel.dll"
    wait_http "$HELLO_URL/" "$STARTED" "$WORK/hello.log"

    # Tiered JIT, pools and caches warm before the first round counts: each path the rounds load, once.
    local duration=$DURATION; DURATION=$WARM_SECONDS
    say "warming up ($WARM_SECONDS s per path)"
    run_wrk "$CONNECTIONS" "$THREADS" "$SERVICE_URL/v1/leads/$GET_LEAD" "$GET_KEY"
    run_wrk "$CONNECTIONS" "$THREADS" "$HELLO_URL/v1/leads/$GET_LEAD" "$GET_KEY"
    run_wrk "$CONNECTIONS" "$THREADS" "$SERVICE_URL" "$ACCEPT_KEY" BENCH_METHOD=POST BENCH_BODY="$ACCEPT_BODY" \
        BENCH_WALK='/v1/leads/%s/accept' BENCH_WALK_TAG="$ACCEPT_TAG" BENCH_WALK_FIRST="$ACCEPT_WARM_FIRST"
    run_wrk "$LATENCY_CONNECTIONS" 1 "$SERVICE_URL/v1/leads?limit=50" "$GET_KEY"
    DURATION=$duration

    measure_get
    measure_accept
    for size in "${SIZE_LIST[@]}"; do
        measure_lists "$size" "${SIZE_PARTNER[$size]}" "${SIZE_KEY[$size]}"
    done
    measure_sweep

    RSS_PEAK=$(rss_mb "$service_pid" VmHWM)
    result "rss: $RSS_IDLE MB idle, $RSS_PEAK MB peak"
    LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
    result "machine load: 1-minute load average $LOAD_START at the start, $LOAD_END at the end, on $(nproc) cores (others' work is noise)"
    print_table
    say "done in $(( $(date +%s) - started )) s"
    [ "$FAILURES" -eq 0 ] || { say "$FAILURES measurement(s) failed; see the lines above (work folder kept)"; KEEP=true; exit 1; }
}

main
