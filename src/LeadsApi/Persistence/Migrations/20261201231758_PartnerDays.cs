using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The scorecard's roll-up (GetScorecardHandler, docs/performance.md#scorecard): per partner and UTC day of
            // received_at, what the scorecard sums over the whole days of its windows, so a 90-day window reads about 90
            // rows instead of every lead the partner received in it.
            //
            // - leads.partner_days: counts per stored status and type, the time to respond of each answered lead (the
            //   percentiles stay exact: they are taken over these values), how many were answered within 24 h and 72 h,
            //   and the respond-by time of each lead still stored as received (the reader counts it expired once that
            //   time has passed, as LeadRules does, before the sweep writes it).
            // - leads.partner_day_breakdowns: per kind (decline, lost, estimated, final) and key (the reason or the
            //   currency): leads, the sum of their amounts and how many had one.
            //
            // A row trigger on leads keeps both current in the transaction that changes a lead, whoever writes it (EF, the
            // expiry sweep's set-based UPDATE, a seeder): it takes the old row's contribution away and adds the new one's.
            // Increments commute, and INSERT .. ON CONFLICT DO UPDATE re-reads the row it waited for, so concurrent
            // writers to one partner's day add up. leads.rebuild_partner_days() recomputes both from the leads (this
            // migration's backfill; the benchmarks' seeders, which load with the trigger disabled).
            //
            // The three rules the trigger, the rebuild and the readers share are functions, inlined by the planner:
            // the UTC day, the time to respond and the status as every reader sees it now.
            // Not in the EF model: nothing in the service writes these tables, and EF maps no trigger-kept table.
            migrationBuilder.Sql("""
                CREATE FUNCTION leads.utc_day(at timestamptz) RETURNS date
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN (at AT TIME ZONE 'UTC')::date;

                -- From received_at to the answer: acceptedAt, or closedAt for a decline (a decline closes the lead and nothing
                -- reopens it). Null while the lead is unanswered, and for a lead that expired.
                CREATE FUNCTION leads.time_to_respond(status text, received_at timestamptz, accepted_at timestamptz, closed_at timestamptz)
                RETURNS double precision
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN date_part('epoch', COALESCE(accepted_at, CASE WHEN status = 'declined' THEN closed_at END) - received_at);

                -- LeadRules' expiry rule: a received lead whose respond-by time has passed is expired, swept or not.
                CREATE FUNCTION leads.status_now(status text, respond_by timestamptz, now timestamptz) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN CASE WHEN status = 'received' AND respond_by <= now THEN 'expired' ELSE status END;

                -- items without its first element equal to item (items unchanged when it has none).
                CREATE FUNCTION leads.without_one(items anyarray, item anyelement) RETURNS anyarray
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT COALESCE(items[:array_position(items, item) - 1] || items[array_position(items, item) + 1:], items)
                $$;

                CREATE TABLE leads.partner_days (
                    partner_id uuid NOT NULL,
                    day date NOT NULL,
                    total integer NOT NULL,
                    received integer NOT NULL,
                    accepted integer NOT NULL,
                    won integer NOT NULL,
                    lost integer NOT NULL,
                    declined integer NOT NULL,
                    expired integer NOT NULL,
                    customer_inquiry integer NOT NULL,
                    marketing_qualified integer NOT NULL,
                    sales_qualified integer NOT NULL,
                    answer_seconds double precision[] NOT NULL,
                    answered_within_day integer NOT NULL,
                    answered_within_three_days integer NOT NULL,
                    awaiting_respond_by timestamptz[] NOT NULL,
                    CONSTRAINT pk_partner_days PRIMARY KEY (partner_id, day)
                );

                CREATE TABLE leads.partner_day_breakdowns (
                    partner_id uuid NOT NULL,
                    day date NOT NULL,
                    kind text NOT NULL,
                    key text NOT NULL,
                    leads integer NOT NULL,
                    amount_sum numeric NOT NULL,
                    amounts integer NOT NULL,
                    CONSTRAINT pk_partner_day_breakdowns PRIMARY KEY (partner_id, day, kind, key)
                );

                -- The breakdowns a lead counts in: its decline or lost reason, the currency of its estimated value and, once
                -- won, the currency of its final value, each with the amount it adds (none for the reasons).
                CREATE FUNCTION leads.breakdown_keys(
                    status text, decline_reason text, lost_reason text, estimated_currency text, estimated_amount numeric,
                    final_currency text, final_amount numeric)
                RETURNS TABLE (kind text, key text, amount numeric)
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT c.kind, c.key, c.amount
                    FROM (VALUES ('decline', CASE WHEN status = 'declined' THEN decline_reason END, NULL::numeric),
                                 ('lost', CASE WHEN status = 'lost' THEN lost_reason END, NULL),
                                 ('estimated', estimated_currency, estimated_amount),
                                 ('final', CASE WHEN status = 'won' THEN final_currency END, final_amount)) AS c(kind, key, amount)
                    WHERE c.key IS NOT NULL
                $$;

                -- What one lead adds to its partner's day (delta 1) or takes away from it (delta -1).
                CREATE FUNCTION leads.count_in_partner_day(l leads.leads, delta integer) RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE
                    lead_day date := leads.utc_day(l.received_at);
                    seconds double precision := leads.time_to_respond(l.status, l.received_at, l.accepted_at, l.closed_at);
                BEGIN
                    INSERT INTO leads.partner_days AS p
                    VALUES (l.partner_id, lead_day, delta,
                            delta * (l.status = 'received')::int, delta * (l.status = 'accepted')::int, delta * (l.status = 'won')::int,
                            delta * (l.status = 'lost')::int, delta * (l.status = 'declined')::int, delta * (l.status = 'expired')::int,
                            delta * (l.type = 'customerInquiry')::int, delta * (l.type = 'marketingQualified')::int,
                            delta * (l.type = 'salesQualified')::int,
                            CASE WHEN seconds IS NOT NULL AND delta > 0 THEN ARRAY[seconds] ELSE '{}' END,
                            delta * COALESCE(seconds <= 86400, false)::int, delta * COALESCE(seconds <= 259200, false)::int,
                            CASE WHEN l.status = 'received' AND delta > 0 THEN ARRAY[l.respond_by] ELSE '{}' END)
                    ON CONFLICT (partner_id, day) DO UPDATE SET
                        total = p.total + excluded.total,
                        received = p.received + excluded.received,
                        accepted = p.accepted + excluded.accepted,
                        won = p.won + excluded.won,
                        lost = p.lost + excluded.lost,
                        declined = p.declined + excluded.declined,
                        expired = p.expired + excluded.expired,
                        customer_inquiry = p.customer_inquiry + excluded.customer_inquiry,
                        marketing_qualified = p.marketing_qualified + excluded.marketing_qualified,
                        sales_qualified = p.sales_qualified + excluded.sales_qualified,
                        answer_seconds = CASE WHEN delta > 0 THEN p.answer_seconds || excluded.answer_seconds
                                              WHEN seconds IS NULL THEN p.answer_seconds
                                              ELSE leads.without_one(p.answer_seconds, seconds) END,
                        answered_within_day = p.answered_within_day + excluded.answered_within_day,
                        answered_within_three_days = p.answered_within_three_days + excluded.answered_within_three_days,
                        awaiting_respond_by = CASE WHEN delta > 0 THEN p.awaiting_respond_by || excluded.awaiting_respond_by
                                                   WHEN l.status <> 'received' THEN p.awaiting_respond_by
                                                   ELSE leads.without_one(p.awaiting_respond_by, l.respond_by) END;

                    INSERT INTO leads.partner_day_breakdowns AS b
                    SELECT l.partner_id, lead_day, c.kind, c.key, delta, delta * COALESCE(c.amount, 0), delta * (c.amount IS NOT NULL)::int
                    FROM leads.breakdown_keys(l.status, l.decline_reason, l.outcome_lost_reason, l.deal_estimated_value_currency,
                                              l.deal_estimated_value_amount, l.outcome_final_value_currency, l.outcome_final_value_amount) c
                    ON CONFLICT (partner_id, day, kind, key) DO UPDATE SET
                        leads = b.leads + excluded.leads,
                        amount_sum = b.amount_sum + excluded.amount_sum,
                        amounts = b.amounts + excluded.amounts;

                    IF delta < 0 THEN
                        DELETE FROM leads.partner_days WHERE partner_id = l.partner_id AND day = lead_day AND total = 0;
                        DELETE FROM leads.partner_day_breakdowns WHERE partner_id = l.partner_id AND day = lead_day AND leads = 0;
                    END IF;
                END $$;

                CREATE FUNCTION leads.count_lead_in_partner_days() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        PERFORM leads.count_in_partner_day(OLD, -1);
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        PERFORM leads.count_in_partner_day(NEW, 1);
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION leads.empty_partner_days() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE leads.partner_days, leads.partner_day_breakdowns;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER partner_days_on_insert_or_delete AFTER INSERT OR DELETE ON leads.leads
                FOR EACH ROW EXECUTE FUNCTION leads.count_lead_in_partner_days();

                -- Most updates (edits, team members, favorites' versions) change none of the columns the roll-up counts.
                CREATE TRIGGER partner_days_on_update AFTER UPDATE ON leads.leads
                FOR EACH ROW WHEN ((OLD.partner_id, OLD.received_at, OLD.status, OLD.type, OLD.respond_by, OLD.accepted_at, OLD.closed_at,
                                    OLD.decline_reason, OLD.outcome_lost_reason, OLD.deal_estimated_value_currency, OLD.deal_estimated_value_amount,
                                    OLD.outcome_final_value_currency, OLD.outcome_final_value_amount)
                                   IS DISTINCT FROM
                                   (NEW.partner_id, NEW.received_at, NEW.status, NEW.type, NEW.respond_by, NEW.accepted_at, NEW.closed_at,
                                    NEW.decline_reason, NEW.outcome_lost_reason, NEW.deal_estimated_value_currency, NEW.deal_estimated_value_amount,
                                    NEW.outcome_final_value_currency, NEW.outcome_final_value_amount))
                EXECUTE FUNCTION leads.count_lead_in_partner_days();

                CREATE TRIGGER partner_days_on_truncate AFTER TRUNCATE ON leads.leads
                FOR EACH STATEMENT EXECUTE FUNCTION leads.empty_partner_days();

                -- Both tables recomputed from the leads, set-based.
                CREATE FUNCTION leads.rebuild_partner_days() RETURNS void
                LANGUAGE sql AS $$
                    TRUNCATE leads.partner_days, leads.partner_day_breakdowns;

                    INSERT INTO leads.partner_days
                    SELECT partner_id, leads.utc_day(received_at), count(*),
                           count(*) FILTER (WHERE status = 'received'), count(*) FILTER (WHERE status = 'accepted'),
                           count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost'),
                           count(*) FILTER (WHERE status = 'declined'), count(*) FILTER (WHERE status = 'expired'),
                           count(*) FILTER (WHERE type = 'customerInquiry'), count(*) FILTER (WHERE type = 'marketingQualified'),
                           count(*) FILTER (WHERE type = 'salesQualified'),
                           COALESCE(array_agg(seconds) FILTER (WHERE seconds IS NOT NULL), '{}'),
                           count(*) FILTER (WHERE seconds <= 86400), count(*) FILTER (WHERE seconds <= 259200),
                           COALESCE(array_agg(respond_by) FILTER (WHERE status = 'received'), '{}')
                    FROM (SELECT *, leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds FROM leads.leads) l
                    GROUP BY 1, 2;

                    INSERT INTO leads.partner_day_breakdowns
                    SELECT l.partner_id, leads.utc_day(l.received_at), c.kind, c.key, count(*), COALESCE(sum(c.amount), 0), count(c.amount)
                    FROM leads.leads l
                    CROSS JOIN LATERAL leads.breakdown_keys(l.status, l.decline_reason, l.outcome_lost_reason, l.deal_estimated_value_currency,
                                                            l.deal_estimated_value_amount, l.outcome_final_value_currency, l.outcome_final_value_amount) c
                    GROUP BY 1, 2, 3, 4;
                $$;

                SELECT leads.rebuild_partner_days();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER partner_days_on_insert_or_delete ON leads.leads;
                DROP TRIGGER partner_days_on_update ON leads.leads;
                DROP TRIGGER partner_days_on_truncate ON leads.leads;
                DROP FUNCTION leads.rebuild_partner_days();
                DROP FUNCTION leads.empty_partner_days();
                DROP FUNCTION leads.count_lead_in_partner_days();
                DROP FUNCTION leads.count_in_partner_day(leads.leads, integer);
                DROP FUNCTION leads.breakdown_keys(text, text, text, text, numeric, text, numeric);
                DROP TABLE leads.partner_day_breakdowns;
                DROP TABLE leads.partner_days;
                DROP FUNCTION leads.without_one(anyarray, anyelement);
                DROP FUNCTION leads.status_now(text, timestamptz, timestamptz);
                DROP FUNCTION leads.time_to_respond(text, timestamptz, timestamptz, timestamptz);
                DROP FUNCTION leads.utc_day(timestamptz);
                """);
        }
    }
}
