using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerDaysOneUpsert : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Two costs of the roll-up's trigger (bench/rollup.sh, docs/performance.md#scorecard):
            // - awaiting_respond_by held the respond-by time of every lead of the day still stored as received, so a day with
            //   many received leads (a bulk insert, bench/run.sh's seeding) rewrote a growing array per lead: quadratic. The
            //   scorecard now counts the received leads past respond-by of its roll-up days from the leads themselves
            //   (ix_leads_partner_id_status_respond_by: only those the sweep has not reached), and the column goes.
            // - an update that keeps the lead in its partner's day (every accept, decline, win, loss and expiry) took the old
            //   row's contribution away and added the new one's: two rewrites of the day row where one does. Now one UPDATE
            //   of the day row by the difference and one upsert per breakdown key that changed. A day row that is missing
            //   (the trigger was off for a load that was not rebuilt) falls back to the two calls, which create it.
            migrationBuilder.Sql("""
                ALTER TABLE leads.partner_days DROP COLUMN awaiting_respond_by;

                CREATE OR REPLACE FUNCTION leads.count_in_partner_day(l leads.leads, delta integer) RETURNS void
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
                            delta * COALESCE(seconds <= 86400, false)::int, delta * COALESCE(seconds <= 259200, false)::int)
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
                        answered_within_three_days = p.answered_within_three_days + excluded.answered_within_three_days;

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

                CREATE OR REPLACE FUNCTION leads.rebuild_partner_days() RETURNS void
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
                           count(*) FILTER (WHERE seconds <= 86400), count(*) FILTER (WHERE seconds <= 259200)
                    FROM (SELECT *, leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds FROM leads.leads) l
                    GROUP BY 1, 2;

                    INSERT INTO leads.partner_day_breakdowns
                    SELECT l.partner_id, leads.utc_day(l.received_at), c.kind, c.key, count(*), COALESCE(sum(c.amount), 0), count(c.amount)
                    FROM leads.leads l
                    CROSS JOIN LATERAL leads.breakdown_keys(l.status, l.decline_reason, l.outcome_lost_reason, l.deal_estimated_value_currency,
                                                            l.deal_estimated_value_amount, l.outcome_final_value_currency, l.outcome_final_value_amount) c
                    GROUP BY 1, 2, 3, 4;
                $$;

                CREATE FUNCTION leads.recount_in_partner_day(o leads.leads, n leads.leads) RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE
                    lead_day date := leads.utc_day(n.received_at);
                    old_seconds double precision := leads.time_to_respond(o.status, o.received_at, o.accepted_at, o.closed_at);
                    new_seconds double precision := leads.time_to_respond(n.status, n.received_at, n.accepted_at, n.closed_at);
                BEGIN
                    UPDATE leads.partner_days p SET
                        received = p.received + (n.status = 'received')::int - (o.status = 'received')::int,
                        accepted = p.accepted + (n.status = 'accepted')::int - (o.status = 'accepted')::int,
                        won = p.won + (n.status = 'won')::int - (o.status = 'won')::int,
                        lost = p.lost + (n.status = 'lost')::int - (o.status = 'lost')::int,
                        declined = p.declined + (n.status = 'declined')::int - (o.status = 'declined')::int,
                        expired = p.expired + (n.status = 'expired')::int - (o.status = 'expired')::int,
                        customer_inquiry = p.customer_inquiry + (n.type = 'customerInquiry')::int - (o.type = 'customerInquiry')::int,
                        marketing_qualified = p.marketing_qualified + (n.type = 'marketingQualified')::int - (o.type = 'marketingQualified')::int,
                        sales_qualified = p.sales_qualified + (n.type = 'salesQualified')::int - (o.type = 'salesQualified')::int,
                        answer_seconds = CASE WHEN old_seconds IS NOT DISTINCT FROM new_seconds THEN p.answer_seconds
                                              ELSE leads.without_one(p.answer_seconds, old_seconds)
                                                   || CASE WHEN new_seconds IS NULL THEN '{}' ELSE ARRAY[new_seconds] END END,
                        answered_within_day = p.answered_within_day
                            + COALESCE(new_seconds <= 86400, false)::int - COALESCE(old_seconds <= 86400, false)::int,
                        answered_within_three_days = p.answered_within_three_days
                            + COALESCE(new_seconds <= 259200, false)::int - COALESCE(old_seconds <= 259200, false)::int
                    WHERE p.partner_id = n.partner_id AND p.day = lead_day;
                    IF NOT FOUND THEN
                        PERFORM leads.count_in_partner_day(o, -1);
                        PERFORM leads.count_in_partner_day(n, 1);
                        RETURN;
                    END IF;

                    INSERT INTO leads.partner_day_breakdowns AS b
                    SELECT n.partner_id, lead_day, c.kind, c.key,
                           sum(c.delta), sum(c.delta * COALESCE(c.amount, 0)), sum(c.delta * (c.amount IS NOT NULL)::int)
                    FROM (SELECT k.*, -1 AS delta
                          FROM leads.breakdown_keys(o.status, o.decline_reason, o.outcome_lost_reason, o.deal_estimated_value_currency,
                                                    o.deal_estimated_value_amount, o.outcome_final_value_currency, o.outcome_final_value_amount) k
                          UNION ALL
                          SELECT k.*, 1
                          FROM leads.breakdown_keys(n.status, n.decline_reason, n.outcome_lost_reason, n.deal_estimated_value_currency,
                                                    n.deal_estimated_value_amount, n.outcome_final_value_currency, n.outcome_final_value_amount) k) c
                    GROUP BY c.kind, c.key
                    HAVING sum(c.delta) <> 0 OR sum(c.delta * COALESCE(c.amount, 0)) <> 0 OR sum(c.delta * (c.amount IS NOT NULL)::int) <> 0
                    ON CONFLICT (partner_id, day, kind, key) DO UPDATE SET
                        leads = b.leads + excluded.leads,
                        amount_sum = b.amount_sum + excluded.amount_sum,
                        amounts = b.amounts + excluded.amounts;
                    DELETE FROM leads.partner_day_breakdowns WHERE partner_id = n.partner_id AND day = lead_day AND leads = 0;
                END $$;

                CREATE OR REPLACE FUNCTION leads.count_lead_in_partner_days() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.partner_id = NEW.partner_id AND leads.utc_day(OLD.received_at) = leads.utc_day(NEW.received_at) THEN
                        PERFORM leads.recount_in_partner_day(OLD, NEW);
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        PERFORM leads.count_in_partner_day(OLD, -1);
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        PERFORM leads.count_in_partner_day(NEW, 1);
                    END IF;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION leads.count_lead_in_partner_days() RETURNS trigger
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

                DROP FUNCTION leads.recount_in_partner_day(leads.leads, leads.leads);

                ALTER TABLE leads.partner_days ADD COLUMN awaiting_respond_by timestamptz[] NOT NULL DEFAULT '{}';
                ALTER TABLE leads.partner_days ALTER COLUMN awaiting_respond_by DROP DEFAULT;

                CREATE OR REPLACE FUNCTION leads.count_in_partner_day(l leads.leads, delta integer) RETURNS void
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

                CREATE OR REPLACE FUNCTION leads.rebuild_partner_days() RETURNS void
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
    }
}
