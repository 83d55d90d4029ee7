#!/usr/bin/env bash
# What the scorecard's roll-up (migration PartnerDays: row triggers on leads.leads that keep leads.partner_days and
# leads.partner_day_breakdowns) costs the writes. On a private PostgreSQL migrated by the service, the same statements
# with the triggers on and off, each in a transaction rolled back, times from psql's \timing, medians over the rounds:
#   insert   N received leads in one INSERT (bench/seed-bench.sql's received shape)
#   accept   those N leads set accepted with a deal value, one UPDATE (what the trigger counts: status, answer time, value)
#   edit     those N leads' need changed, one UPDATE (a column the roll-up does not count: the WHEN clause skips it)
#   rebuild  leads.rebuild_partner_days() over everything seeded
# The received leads are spread over 100 days (a write rewrites its partner's day row, arrays included). Prints
# microseconds per lead and the ratios on/off, then a markdown table for docs/performance.md.
#
#   flock /tmp/leadsapi-bench.lock bash bench/rollup.sh              # 50,000 leads, 5 rounds
#   flock /tmp/leadsapi-bench.lock bash bench/rollup.sh --leads 5000 --rounds 1
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEADS=50000
ROUNDS=5
KEEP=false
while [ $# -gt 0 ]; do
    case $1 in
        --leads) LEADS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --keep) KEEP=true ;;
        -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/rollup.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

BENCH_NAME=rollup
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

TRIGGERS=(partner_days_on_insert_or_delete partner_days_on_update)

# timed <triggers on|off> <sql>: the statement's milliseconds, inside a transaction that is rolled back.
timed() {
    local switch="" trigger
    if [ "$1" = off ]; then
        for trigger in "${TRIGGERS[@]}"; do switch+="ALTER TABLE leads.leads DISABLE TRIGGER $trigger; "; done
    fi
    "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d leads <<SQL | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
BEGIN;
$switch
\\timing on
$2;
\\timing off
ROLLBACK;
SQL
}

# measure <name> <sql>: the medians over the rounds with the triggers on and off. Sets ON_MS OFF_MS.
measure() {
    local name=$1 statement=$2 r on="" off=""
    for r in $(seq "$ROUNDS"); do
        on+="$(timed on "$statement") "
        off+="$(timed off "$statement") "
    done
    ON_MS=$(med "$on" 1); OFF_MS=$(med "$off" 1)
    local per_on per_off
    per_on=$(calc "$ON_MS * 1000 / $LEADS" 1); per_off=$(calc "$OFF_MS * 1000 / $LEADS" 1)
    result "$name: triggers on $ON_MS ms ($per_on µs per lead), off $OFF_MS ms ($per_off µs per lead), on/off $(calc "$ON_MS / $OFF_MS" 2)x"
    ROWS+="| $name, $LEADS leads | $per_on µs | $per_off µs | $(calc "$ON_MS / $OFF_MS" 2)x |"$'\n'
}

main() {
    WORK=$(mktemp -d /tmp/bench-rollup.XXXXXX)
    chmod 755 "$WORK"
    trap cleanup EXIT
    say "building the service (Release); work folder $WORK"
    publish_service
    start_cluster
    say "migrating: the service applies its migrations at start"
    start_service migrate "$(free_port)" Leads__ExpirySweepEnabled=false Events__SchedulerEnabled=false Webhooks__DispatcherEnabled=false
    stop_bg "$SERVICE_PID"
    create_partner "Roll-up bench"
    say "seeding $LEADS received leads over 100 days and 10x as many of every shape (the roll-up's other rows)"
    sql -c "ALTER TABLE leads.leads DISABLE TRIGGER partner_days_on_insert_or_delete"
    seed "$PARTNER" "$((LEADS * 10))" mix >/dev/null
    seed "$PARTNER" "$LEADS" received 7 >/dev/null
    # The received leads spread over the last 100 days, as a partner's would be (seed-bench.sql makes them all now): the
    # cost of a write grows with the leads of its partner's day, whose row it rewrites (docs/performance.md).
    sql -c "ALTER TABLE leads.leads DISABLE TRIGGER partner_days_on_update" \
        -c "UPDATE leads.leads SET received_at = received_at - (get_byte(uuid_send(id), 15) % 100) * interval '1 day',
                respond_by = respond_by - (get_byte(uuid_send(id), 15) % 100) * interval '1 day'
            WHERE partner_id = '$PARTNER' AND status = 'received'" \
        -c "ALTER TABLE leads.leads ENABLE TRIGGER partner_days_on_update" \
        -c "ALTER TABLE leads.leads ENABLE TRIGGER partner_days_on_insert_or_delete" \
        -c "SELECT leads.rebuild_partner_days()" \
        -c "VACUUM (ANALYZE) leads.leads, leads.partner_days, leads.partner_day_breakdowns"

    # The insert's rows: copies of the received leads with new ids and external ids (the unique keys).
    sql -c "CREATE TABLE bench.copies AS SELECT * FROM leads.leads WHERE partner_id = '$PARTNER' AND status = 'received' LIMIT $LEADS" \
        -c "UPDATE bench.copies c SET id = bench.uuid(8, x.n), external_id = 'copy-' || x.n
            FROM (SELECT id, row_number() OVER () AS n FROM bench.copies) x WHERE c.id = x.id"
    ROWS=""
    measure insert "INSERT INTO leads.leads SELECT * FROM bench.copies"
    measure accept "UPDATE leads.leads SET status = 'accepted', accepted_at = received_at + interval '1 hour', deal_name = 'Deal', deal_estimated_value_amount = 1000, deal_estimated_value_currency = 'EUR', deal_estimated_close_date = '2027-12-31' WHERE partner_id = '$PARTNER' AND id IN (SELECT bench.uuid(7, n) FROM generate_series(1, $LEADS) n)"
    measure edit "UPDATE leads.leads SET need = need || '.' WHERE partner_id = '$PARTNER' AND id IN (SELECT bench.uuid(7, n) FROM generate_series(1, $LEADS) n)"
    local r times=""
    for r in $(seq "$ROUNDS"); do times+="$(timed on "SELECT leads.rebuild_partner_days()") "; done
    result "rebuild: $(med "$times" 0) ms for $(sql -c "SELECT count(*) FROM leads.leads") leads"

    printf '\n| statement | triggers on | off | on/off |\n| --- | --- | --- | --- |\n%s' "$ROWS"
    printf '| leads.rebuild_partner_days(), %s leads | %s ms | | |\n' "$(sql -c "SELECT count(*) FROM leads.leads")" "$(med "$times" 0)"
}

main
