#!/usr/bin/env bash
# Issue 12's matching benchmark (item 6): POST /v1/matches over 10,000 partners with realistic profiles and lead history
# must answer p99 < 50 ms. Builds the service in Release, starts a private PostgreSQL tuned for benchmarks, seeds the
# partners, their leads and a mix of customer requests (bench/seed-matching.sql), and measures through real HTTP with wrk
# (bench/wrk/matching.lua rotates the request bodies): latency at 1 connection (p50, p90, p99), throughput at 16, against
# a floor and a ceiling measured back to back in the same run: the hello-world Kestrel app (the framework's own cost) and
# pgbench sending the three statements of CandidateSource with each request's parameters (the database's). Prints one
# line per measurement, then a markdown table for docs/performance.md, and the EXPLAIN (ANALYZE, BUFFERS) of the three
# statements for one typical request.
#
#   flock /tmp/leadsapi-bench.lock bash bench/matching.sh            # 10,000 partners, 3 rounds of 15 s
#   flock /tmp/leadsapi-bench.lock bash bench/matching.sh --quick    # 10,000 partners, 3 rounds of 5 s
#   flock /tmp/leadsapi-bench.lock bash bench/matching.sh --smoke    # 1,000 partners, 1 round of 2 s: the harness runs
#
# Everything it starts lives in one /tmp/bench-matching.* folder and is stopped and removed at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF2'
Usage: bash bench/matching.sh [options]   (wrap it: flock /tmp/leadsapi-bench.lock bash bench/matching.sh ...)

  --quick                3 rounds of 5 s
  --smoke                1,000 partners with 10-40 leads, 1 round of 2 s: proves the harness runs (CI)
  --partners N           partners with a profile (default 10000)
  --leads "MIN MAX"      leads per partner over the last 120 days (default "50 200")
  --requests N           distinct request bodies the load rotates through (default 1000)
  --rounds R             rounds per measurement; medians are reported (default 3)
  --duration S           seconds per round (default 15)
  --connections C        wrk connections and pgbench clients for the throughput rows (default 16)
  --threads T            wrk and pgbench threads (default 2)
  --target-ms M          the p99 the issue asks for (default 50)
  --out FILE             also write the markdown table to FILE
  --explain FILE         also write the EXPLAIN (ANALYZE, BUFFERS) of the three statements to FILE
  --keep                 keep the work folder (logs, bodies, pgbench script, plans) after the run
EOF2
}

# ---- options ---------------------------------------------------------------------------------------

PARTNERS=10000
LEADS_MIN=50
LEADS_MAX=200
REQUESTS=1000
MAX_CANDIDATES=100   # the service's Matching:MaxCandidates default; statement 1 and the precomputed ids use it too
ROUNDS=3
DURATION=15
CONNECTIONS=16
THREADS=2
TARGET_MS=50
OUT=""
EXPLAIN_OUT=""
KEEP=false
MODE=full

while [ $# -gt 0 ]; do
    case $1 in
        --quick) MODE=quick; DURATION=5 ;;
        --smoke) MODE=smoke; PARTNERS=1000; LEADS_MIN=10; LEADS_MAX=40; REQUESTS=200; ROUNDS=1; DURATION=2 ;;
        --partners) PARTNERS=$2; shift ;;
        --leads) read -r LEADS_MIN LEADS_MAX <<<"$2"; shift ;;
        --requests) REQUESTS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --threads) THREADS=$2; shift ;;
        --target-ms) TARGET_MS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --explain) EXPLAIN_OUT=$2; shift ;;
        --keep) KEEP=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench/matching.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

BENCH_NAME=matching
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

FAILURES=0
note_failure() { FAILURES=$((FAILURES + 1)); say "FAILED: $*"; }

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

# As bench/run.sh: the service and HelloKestrel in Release, the floor with the service's GC settings.
build() {
    say "building the service and HelloKestrel (Release)"
    publish_service
    dotnet publish "$ROOT/bench/HelloKestrel" -c Release -o "$WORK/hello" -nologo -v q >>"$WORK/build.log" 2>&1 \
        || { tail -30 "$WORK/build.log" >&2; fail "dotnet publish bench/HelloKestrel"; }
    local config="$WORK/hello/HelloKestrel.runtimeconfig.json"
    jq --slurpfile service "$WORK/service/LeadsApi.runtimeconfig.json" \
        '.runtimeOptions.configProperties += ($service[0].runtimeOptions.configProperties
            | with_entries(select(.key | startswith("System.GC."))))' "$config" >"$config.new"
    mv "$config.new" "$config"
    local setting
    for setting in $(sed -n 's/^ENV \(DOTNET_GC[A-Za-z0-9_]*=[^ ]*\).*/\1/p' "$ROOT/Dockerfile"); do
        export "${setting?}"
        say "GC setting from the Dockerfile: $setting"
    done
}

# ---- load generators -------------------------------------------------------------------------------

# run_match_wrk <connections> <threads> <url> [BENCH_*=value ...]: one round of $DURATION seconds of bench/wrk/matching.lua.
# Sets WRK_RPS WRK_P50 WRK_P90 WRK_P99 (milliseconds) WRK_REQUESTS WRK_BAD (non-2xx answers plus socket errors).
run_match_wrk() {
    local connections=$1 threads=$2 url=$3; shift 3
    local out line
    out=$(env BENCH_KEY="$KEY" BENCH_BODIES="$WORK/bodies.jsonl" "$@" \
        wrk -c "$connections" -t "$threads" -d "${DURATION}s" --timeout 30s -s "$ROOT/bench/wrk/matching.lua" "$url" 2>&1) || true
    echo "$out" >>"$WORK/wrk.log"
    line=$(grep '^wrk ' <<<"$out" || true)
    [ -n "$line" ] || { WRK_RPS=0; WRK_P50=0; WRK_P90=0; WRK_P99=0; WRK_REQUESTS=0; WRK_BAD=1; return 0; }
    kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    WRK_RPS=$(kv rps)
    WRK_P50=$(calc "$(kv p50_us) / 1000" 2)
    WRK_P90=$(calc "$(kv p90_us) / 1000" 2)
    WRK_P99=$(calc "$(kv p99_us) / 1000" 2)
    WRK_REQUESTS=$(kv requests)
    WRK_BAD=$(( $(kv non2xx) + $(kv errors) ))
}

# The three statements of CandidateSource.LoadAsync, as it sends them, with psql's :'name' variables where it sends
# parameters; the times the service computes from its clock are computed from now() the same way. The variables come
# from one row of bench.match_requests (the request's country, words, industry, lead type, customer domain and company
# word, and the partners statement 1 returns for it, as statement 2 and 3 receive them).
statements() {
    sed "s/__MAX_CANDIDATES__/$MAX_CANDIDATES/" <<'SQL'
SELECT p.partner_id, a.name, p.expertise_keywords, p.industries, p.company_sizes, p.business_models, p.lead_types,
       p.languages, p.locations::text AS locations, p.weekly_capacity, p.paused_until
FROM (
    SELECT partner_id
    FROM leads.partner_profiles
    WHERE countries @> ARRAY[:'country']::text[] AND NOT (partner_id = ANY('{}'::uuid[]))
    ORDER BY (SELECT count(*) FROM unnest(expertise_words) w WHERE w = ANY(:'words'::text[])) DESC,
             industries @> ARRAY[:'industry']::text[] DESC, partner_id
    LIMIT __MAX_CANDIDATES__
) c
JOIN leads.partner_profiles p ON p.partner_id = c.partner_id
JOIN leads.partners a ON a.id = c.partner_id;
WITH l AS (
    SELECT partner_id, type, received_at, customer_industry,
           leads.status_now(status, respond_by, now()) AS status_now,
           leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds
    FROM leads.leads
    WHERE partner_id = ANY(:'ids'::uuid[])
      AND received_at >= least(now() - interval '90 days', date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', now() - interval '7 days')
      AND received_at <= now()
    OFFSET 0
), h AS (
    SELECT *, received_at >= now() - interval '90 days' AS in_window,
           received_at >= now() - interval '90 days' AND type = :'lead_type' AND (:'industry' = '' OR lower(btrim(customer_industry)) = :'industry') AS is_similar,
           seconds IS NOT NULL OR status_now = 'expired' AS is_resolved
    FROM l
    OFFSET 0
)
SELECT partner_id,
       count(*) FILTER (WHERE in_window AND is_resolved)::int AS resolved,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE in_window) AS median_seconds,
       count(*) FILTER (WHERE in_window AND seconds <= 86400)::int AS answered_within_day,
       count(*) FILTER (WHERE in_window AND status_now = 'expired')::int AS expired,
       count(*) FILTER (WHERE is_similar AND is_resolved)::int AS similar,
       count(*) FILTER (WHERE is_similar AND status_now IN ('accepted', 'won', 'lost'))::int AS similar_accepted,
       count(*) FILTER (WHERE is_similar AND status_now IN ('won', 'lost'))::int AS similar_closed,
       count(*) FILTER (WHERE is_similar AND status_now = 'won')::int AS similar_won,
       count(*) FILTER (WHERE received_at >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::int AS this_week,
       count(*) FILTER (WHERE received_at >= now() - interval '7 days')::int AS last_seven_days
FROM h
GROUP BY partner_id;
SELECT partner_id, id, status = 'declined' AS declined, COALESCE(closed_at, respond_by) AS at,
       customer_email, customer_company_name
FROM leads.leads
WHERE partner_id = ANY(:'ids'::uuid[]) AND received_at >= now() - interval '104 days' AND received_at <= now()
  AND (status = 'declined' AND closed_at >= now() - interval '90 days'
       OR status IN ('expired', 'received') AND respond_by >= now() - interval '90 days' AND respond_by <= now())
  AND lower(split_part(customer_email, '@', 2)) = NULLIF(:'domain', '')
UNION
SELECT partner_id, id, status = 'declined' AS declined, COALESCE(closed_at, respond_by) AS at,
       customer_email, customer_company_name
FROM leads.leads
WHERE partner_id = ANY(:'ids'::uuid[]) AND received_at >= now() - interval '104 days' AND received_at <= now()
  AND (status = 'declined' AND closed_at >= now() - interval '90 days'
       OR status IN ('expired', 'received') AND respond_by >= now() - interval '90 days' AND respond_by <= now())
  AND customer_company_name ILIKE NULLIF(:'company_word', '');
SQL
}

# pgbench's script: a random request's parameters (a primary-key read of bench.match_requests, the one statement the
# service does not send), then the three statements with them as parameters; -M prepared, as Npgsql auto-prepares them.
write_pgbench_script() {
    {
        echo "\\set r random(1, $REQUESTS)"
        echo "SELECT country, words::text AS words, ids::text AS ids, lead_type, industry, domain, company_word FROM bench.match_requests WHERE n = :r \\gset"
        statements | sed "s/:'\([a-z_]*\)'/:\1/g"
    } >"$WORK/matching.pgbench"
}

# run_pgbench <clients>: one round of $DURATION seconds, each transaction's latency logged.
# Sets PGB_TPS PGB_TX PGB_OK PGB_P50 PGB_P99 (milliseconds).
run_pgbench() {
    local clients=$1 out threads=$THREADS
    [ "$clients" -ge "$threads" ] || threads=$clients
    rm -f "$WORK"/pgbench_log.*
    out=$(cd "$WORK" && "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$clients" -j "$threads" \
        -T "$DURATION" -l --log-prefix=pgbench_log -f "$WORK/matching.pgbench" leads 2>&1) && PGB_OK=true || PGB_OK=false
    echo "$out" >>"$WORK/pgbench.log"
    PGB_TPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
    PGB_TX=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    grep -q '^number of failed transactions: [1-9]' <<<"$out" && PGB_OK=false
    [ -n "$PGB_TPS" ] || { PGB_TPS=0; PGB_TX=0; PGB_OK=false; }
    # The log's third column is the transaction's latency in microseconds.
    local sorted="$WORK/pgbench-latencies"
    cat "$WORK"/pgbench_log.* 2>/dev/null | awk '{ print $3 }' | sort -n >"$sorted"
    percentile() { awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print 0; exit } i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }' "$sorted"; }
    PGB_P50=$(percentile 50)
    PGB_P99=$(percentile 99)
}

# ---- measurements ----------------------------------------------------------------------------------

# Latency at 1 connection: medians over the rounds of wrk's p50, p90, p99, and of pgbench's p50, p99 at 1 client.
measure_latency() {
    local r p50="" p90="" p99="" n=0 gp50="" gp99=""
    for r in $(seq "$ROUNDS"); do
        run_match_wrk 1 1 "$SERVICE_URL/v1/matches"
        [ "$WRK_BAD" -eq 0 ] || note_failure "latency round $r: $WRK_BAD non-2xx answers or errors"
        p50+="$WRK_P50 "; p90+="$WRK_P90 "; p99+="$WRK_P99 "; n=$((n + WRK_REQUESTS))
        run_pgbench 1
        $PGB_OK || note_failure "pgbench latency round $r"
        gp50+="$PGB_P50 "; gp99+="$PGB_P99 "
        say "latency round $r: service p50 $WRK_P50 p90 $WRK_P90 p99 $WRK_P99 ms ($WRK_REQUESTS requests); pgbench p50 $PGB_P50 p99 $PGB_P99 ms"
    done
    LAT_P50=$(med "$p50" 1); LAT_P90=$(med "$p90" 1); LAT_P99=$(med "$p99" 1); LAT_N=$n
    DB_P50=$(med "$gp50" 1); DB_P99=$(med "$gp99" 1)
    result "matching-latency: p50 $LAT_P50 ms, p90 $LAT_P90 ms, p99 $LAT_P99 ms ($LAT_N requests, 1 connection; target p99 < $TARGET_MS ms)"
    result "matching-sql-latency: pgbench of the three statements p50 $DB_P50 ms, p99 $DB_P99 ms (1 client); service p50 - SQL p50 = $(calc "$LAT_P50 - $DB_P50" 1) ms"
}

# Throughput at $CONNECTIONS, back to back in each round: the service, the hello-world floor, pgbench.
measure_throughput() {
    local r service="" hello="" pg="" rpg="" rhello="" p99=""
    for r in $(seq "$ROUNDS"); do
        run_match_wrk "$CONNECTIONS" "$THREADS" "$SERVICE_URL/v1/matches"
        local rps=$WRK_RPS bad=$WRK_BAD p=$WRK_P99
        run_match_wrk "$CONNECTIONS" "$THREADS" "$HELLO_URL/v1/matches" BENCH_METHOD=GET
        local hrps=$WRK_RPS
        run_pgbench "$CONNECTIONS"
        say "throughput round $r: service $rps req/s (p99 $p ms, bad $bad), hello $hrps req/s, pgbench $PGB_TPS tps ($PGB_OK)"
        [ "$bad" -eq 0 ] && $PGB_OK || note_failure "throughput round $r (non-2xx $bad, pgbench ok $PGB_OK)"
        service+="$rps "; hello+="$hrps "; pg+="$PGB_TPS "; p99+="$p "
        rpg+="$(calc "$rps / $PGB_TPS" 3) "; rhello+="$(calc "$rps / $hrps" 4) "
    done
    TP_RPS=$(med "$service" 1); TP_HELLO=$(med "$hello" 0); TP_PG=$(med "$pg" 1); TP_P99=$(med "$p99" 1)
    TP_VS_PG=$(med "$rpg" 2); TP_VS_HELLO=$(med "$rhello" 3)
    result "matching-throughput: $TP_RPS req/s at $CONNECTIONS connections (p99 $TP_P99 ms)"
    result "matching-vs-pgbench: ratio $TP_VS_PG (service $TP_RPS req/s, pgbench of the three statements $TP_PG tps, $CONNECTIONS clients)"
    result "matching-vs-hello: ratio $TP_VS_HELLO (service $TP_RPS req/s, hello-world Kestrel $TP_HELLO req/s, body $BODY_BYTES bytes)"
}

# The plans of the three statements for a request with the median candidate count of the mix: each statement
# prepared with its parameters as $n, as Npgsql sends them, run once to read its pages into shared buffers as the
# service's steady state has them, then EXPLAIN (ANALYZE, BUFFERS) EXECUTE (a custom plan: the partner ids it shows are
# abbreviated to their count).
explain_typical() {
    local n count body
    # among the requests that name a customer, so that statement 3 reads the leads too
    n=$(sql -c "SELECT n FROM bench.match_requests WHERE domain <> '' ORDER BY cardinality(ids), n
                OFFSET (SELECT count(*) / 2 FROM bench.match_requests WHERE domain <> '') LIMIT 1")
    count=$(sql -c "SELECT cardinality(ids) FROM bench.match_requests WHERE n = $n")
    body=$(sql -c "SELECT body::text FROM bench.match_requests WHERE n = $n")
    {
        echo "Request $n of the mix (the median candidate count: $count partners considered):"
        echo
        echo '```json'
        echo "$body"
        echo '```'
        local i=0 statement names name k params values
        while IFS= read -r -d ';' statement; do
            statement=$(sed '/^[[:space:]]*$/d' <<<"$statement")
            [ -n "$statement" ] || continue
            i=$((i + 1))
            # :'name' -> $k, in order of first use
            mapfile -t names < <(grep -o ":'[a-z_]*'" <<<"$statement" | awk '!seen[$0]++' | tr -d ":'")
            k=0 params="" values=""
            for name in "${names[@]}"; do
                k=$((k + 1))
                statement=$(sed "s/:'$name'/\$$k/g" <<<"$statement")
                # typed as Npgsql sends them: a uuid[] and a text[] are parameters of those types, not text to cast per row
                case $name in ids) params+="${params:+, }uuid[]" ;; words) params+="${params:+, }text[]" ;; *) params+="${params:+, }text" ;; esac
                values+="${values:+, }:'$name'"
            done
            echo
            echo "Statement $i:"
            echo
            echo '```'
            sql <<SQL | sed 's/[[:space:]]*$//'
SELECT country, words::text AS words, ids::text AS ids, lead_type, industry, domain, company_word FROM bench.match_requests WHERE n = $n \gset
PREPARE s($params) AS $statement;
\o /dev/null
EXECUTE s($values);
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE s($values);
SQL
            echo '```'
        done < <(statements)
    } | perl -pe 's/\x27\{[0-9a-f-]{36}(?:,[0-9a-f-]{36})*\}\x27/"\x27{" . (($& =~ tr{,}{}) + 1) . " partner ids}\x27"/ge' \
    >"$WORK/explain.md"
    [ -z "$EXPLAIN_OUT" ] || cp "$WORK/explain.md" "$EXPLAIN_OUT"
    say "plans of request $n written to $WORK/explain.md"
}

# ---- the table -------------------------------------------------------------------------------------

print_table() {
    local revision
    revision=$(git -C "$ROOT" log -1 --format=%h -- src 2>/dev/null || true)
    [ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] || revision+=" + local changes"
    revision=${revision:-this revision}
    {
        echo
        echo "| POST /v1/matches, $PARTNERS partners ($LEADS_MIN-$LEADS_MAX leads each), $REQUESTS requests rotated | $revision | target |"
        echo "| --- | --- | --- |"
        echo "| latency, 1 connection | p50 $LAT_P50 ms, p90 $LAT_P90 ms, **p99 $LAT_P99 ms** | p99 < $TARGET_MS ms |"
        echo "| the three statements alone (pgbench, 1 client) | p50 $DB_P50 ms, p99 $DB_P99 ms | |"
        echo "| candidates considered per request | median $CANDIDATES_MEDIAN, p90 $CANDIDATES_P90, max $CANDIDATES_MAX | |"
        echo "| throughput, $CONNECTIONS connections | $TP_RPS req/s (p99 $TP_P99 ms) | |"
        echo "| vs pgbench of the three statements, $CONNECTIONS clients | $TP_VS_PG ($TP_RPS vs $TP_PG tps) | |"
        echo "| vs hello-world Kestrel, $CONNECTIONS connections | $TP_VS_HELLO ($TP_RPS vs $TP_HELLO req/s) | |"
        echo "| seeding | $SEED_TEXT | |"
    } | tee -a "$WORK/table.md"
    [ -z "$OUT" ] || cp "$WORK/table.md" "$OUT"
}

# ---- the run ---------------------------------------------------------------------------------------

main() {
    local started; started=$(date +%s)
    WARM_SECONDS=$(( DURATION < 5 ? DURATION : 5 ))
    LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
    need_tools
    WORK=$(mktemp -d /tmp/bench-matching.XXXXXX)
    chmod 755 "$WORK" # the postgres user reaches its data folder through it
    say "mode $MODE: $PARTNERS partners, $LEADS_MIN-$LEADS_MAX leads each, $ROUNDS rounds of $DURATION s, $CONNECTIONS connections; work folder $WORK"
    build
    start_cluster

    say "migrating: the service applies its migrations at start"
    start_service migrate "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"

    # A sender's key: senders and platform admins may match.
    local created
    created=$(admin create-sender --name "Bench matcher") || { tail -5 "$WORK/admin.log" >&2; fail "admin create-sender"; }
    KEY=$(jq -r .apiKey <<<"$created")

    say "seeding $PARTNERS partners with $LEADS_MIN-$LEADS_MAX leads each and $REQUESTS requests"
    local seed_started; seed_started=$(now)
    sql -v partners="$PARTNERS" -v leads_min="$LEADS_MIN" -v leads_max="$LEADS_MAX" -v requests="$REQUESTS" \
        -f "$ROOT/bench/seed-matching.sql" >/dev/null
    # Statement 1's answer for each request, which the service passes to statements 2 and 3 (for pgbench and the plans).
    sql -c "ALTER TABLE bench.match_requests ADD COLUMN ids uuid[]" \
        -c "UPDATE bench.match_requests r SET ids = ARRAY(SELECT partner_id FROM leads.partner_profiles p
                WHERE p.countries @> ARRAY[r.country]
                ORDER BY (SELECT count(*) FROM unnest(p.expertise_words) w WHERE w = ANY(r.words)) DESC,
                         p.industries @> ARRAY[r.industry] DESC, p.partner_id
                LIMIT $MAX_CANDIDATES)" \
        -c "VACUUM (ANALYZE) bench.match_requests"
    local seed_seconds leads_count
    seed_seconds=$(calc "$(now) - $seed_started" 0)
    leads_count=$(sql -c "SELECT count(*) FROM leads.leads")
    SEED_TEXT="$PARTNERS partners, $leads_count leads in $seed_seconds s"
    result "seed: $SEED_TEXT ($(sql -c "SELECT pg_size_pretty(pg_database_size('leads'))"))"
    sql -c "SELECT body::text FROM bench.match_requests ORDER BY n" >"$WORK/bodies.jsonl"
    read -r CANDIDATES_MEDIAN CANDIDATES_P90 CANDIDATES_MAX < <(sql -F ' ' -c "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY cardinality(ids)),
        percentile_disc(0.9) WITHIN GROUP (ORDER BY cardinality(ids)), max(cardinality(ids)) FROM bench.match_requests")
    result "candidates: median $CANDIDATES_MEDIAN, p90 $CANDIDATES_P90, max $CANDIDATES_MAX partners considered per request (of $PARTNERS)"
    write_pgbench_script

    SERVICE_PORT=$(free_port)
    SERVICE_URL="http://127.0.0.1:$SERVICE_PORT"
    # No background worker's pass over the seeded leads lands in a round (nothing is due; the sweep would find nothing).
    start_service service "$SERVICE_PORT" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false

    # Every request of the mix once: each answers 200, and the answers' mean size is the floor's body size.
    local total=0 count=0 size line
    while IFS= read -r line; do
        size=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -X POST -H "Authorization: Bearer $KEY" \
            -H 'Content-Type: application/json' -d "$line" "$SERVICE_URL/v1/matches")
        [ "${size%% *}" = 200 ] || { curl -s -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$line" "$SERVICE_URL/v1/matches" >&2; fail "a request of the mix answered ${size%% *}: $line"; }
        total=$((total + ${size##* })); count=$((count + 1))
        [ "$count" -lt 20 ] || break
    done <"$WORK/bodies.jsonl"
    BODY_BYTES=$((total / count))
    say "the first $count requests answer 200, $BODY_BYTES bytes on average"

    HELLO_PORT=$(free_port)
    HELLO_URL="http://127.0.0.1:$HELLO_PORT"
    start_bg "$WORK/hello.log" env ASPNETCORE_URLS="$HELLO_URL" Hello__BodyBytes="$BODY_BYTES" dotnet "$WORK/hello/HelloKestrel.dll"
    wait_http "$HELLO_URL/" "$STARTED" "$WORK/hello.log"

    local duration=$DURATION; DURATION=$WARM_SECONDS
    say "warming up ($WARM_SECONDS s per path)"
    run_match_wrk "$CONNECTIONS" "$THREADS" "$SERVICE_URL/v1/matches"
    run_match_wrk "$CONNECTIONS" "$THREADS" "$HELLO_URL/v1/matches" BENCH_METHOD=GET
    run_pgbench "$CONNECTIONS"
    $PGB_OK || { tail -20 "$WORK/pgbench.log" >&2; fail "pgbench of the three statements"; }
    DURATION=$duration

    measure_latency
    measure_throughput
    explain_typical

    LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
    result "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version); 1-minute load average $LOAD_START at the start, $LOAD_END at the end (others' work is noise)"
    print_table
    awk "BEGIN { exit !($LAT_P99 < $TARGET_MS) }" && say "p99 $LAT_P99 ms < $TARGET_MS ms: target met" \
        || say "p99 $LAT_P99 ms >= $TARGET_MS ms: target missed"
    say "done in $(( $(date +%s) - started )) s"
    [ "$FAILURES" -eq 0 ] || { say "$FAILURES measurement(s) failed; see the lines above (work folder kept)"; KEEP=true; exit 1; }
}

main
