-- Leads for bench/scorecard.sh: :leads leads for one partner that exists already (the admin command created it with
-- its key), received over the :days days before now with a mix a scorecard can tell apart, and optionally :others
-- further partners (made here, no keys) with :per_other leads each over the same days, so that a query reading every
-- partner's leads, not just the one's, would show in the latency.
--   received   only within the response window (14 days): older ones were answered or expired by the sweep
--   answered   accepted, won, lost or declined after a log-uniform time from one minute to the 14 days
--   won/lost   closed 10 to 120 days after the accept (never in the future), with a lost reason or a final value
--   types, decline and lost reasons, currencies and values in fixed, uneven shares
-- Reproducible: setseed, then random() in one statement per call.
-- psql "$CONNECTION" -v partner_id=<uuid> -v leads=100000 [-v others=2000 -v per_other=1000] [-v days=730] -f bench/seed-scorecard.sql
-- The column list is bench/seed-leads.sql's; a migration that adds a required column changes all three seeders.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?partner_id} \else \echo 'seed-scorecard.sql: -v partner_id=<uuid> is required' \quit \endif
\if :{?leads} \else \set leads 100000 \endif
\if :{?others} \else \set others 0 \endif
\if :{?per_other} \else \set per_other 1000 \endif
\if :{?days} \else \set days 730 \endif
\if :{?seed} \else \set seed 0.42 \endif

-- Every lead names its sender (fk_leads_senders_sender_id); the same one as seed-leads.sql.
INSERT INTO leads.senders (id, name, kind, created_at)
VALUES ('00000000-0000-7000-8000-00000000aaaa', 'Bench sender', 'marketplace', now())
ON CONFLICT DO NOTHING;

-- The other partners' ids: 5c0e as the second group, the number last (distinct from seed-leads.sql's).
INSERT INTO leads.partners (id, name, created_at)
SELECT ('00000000-5c0e-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, 'Scorecard bench partner ' || p, now()
FROM generate_series(1, :others) p
ON CONFLICT DO NOTHING;

SELECT setseed(:seed);

-- The roll-up of partner_days (migration PartnerDays) is rebuilt in one pass after the load, not row by row.
ALTER TABLE leads.leads DISABLE TRIGGER partner_days_on_insert_or_delete;
INSERT INTO leads.leads (
    id, partner_id, type, external_id, campaign_id, need, contact_requested, status,
    received_at, respond_by, accepted_at, closed_at, updated_at,
    customer_company_name, customer_contact_name, customer_email, customer_country, customer_company_size,
    deal_name, deal_estimated_value_amount, deal_estimated_value_currency, deal_estimated_close_date,
    decline_reason, outcome_result, outcome_closed_on, outcome_lost_reason, outcome_final_value_amount, outcome_final_value_currency,
    sender_id, sender_kind, sender_name, team)
SELECT
    gen_random_uuid(), partner_id, type, NULL, 'CMP-' || (n % 12), 'Need number ' || n || ' about ' || (ARRAY['mail', 'security', 'erp', 'crm', 'cloud'])[1 + n % 5],
    n % 3 = 0, status, received_at, received_at + interval '14 days',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN answered_at END,
    CASE WHEN status = 'declined' THEN answered_at
         WHEN status IN ('won', 'lost') THEN closed_at
         WHEN status = 'expired' THEN received_at + interval '14 days' END,
    CASE WHEN status = 'received' THEN received_at
         WHEN status IN ('accepted', 'declined') THEN answered_at
         WHEN status IN ('won', 'lost') THEN closed_at
         ELSE received_at + interval '14 days' END,
    'Company ' || n, 'Contact ' || n, 'contact' || n || '@example.com', 'PT', 'small',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'Deal ' || n END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN estimated END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN currency END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (answered_at + interval '60 days')::date END,
    CASE WHEN status = 'declined' THEN decline_reason END,
    CASE WHEN status IN ('won', 'lost') THEN status END,
    CASE WHEN status IN ('won', 'lost') THEN closed_at::date END,
    CASE WHEN status = 'lost' THEN lost_reason END,
    CASE WHEN status = 'won' THEN round(estimated * (0.7 + 0.6 * r_value)::numeric, 2) END,
    CASE WHEN status = 'won' THEN currency END,
    '00000000-0000-7000-8000-00000000aaaa', 'marketplace', 'Bench sender', '[]'
FROM (
    SELECT *,
        CASE
            -- within the response window: half not answered yet
            WHEN received_at > now() - interval '14 days' AND r_status < 0.5 THEN 'received'
            WHEN received_at > now() - interval '14 days' THEN (ARRAY['accepted', 'accepted', 'declined'])[1 + floor(r_status * 6)::int % 3]
            WHEN r_status < 0.12 THEN 'accepted'
            WHEN r_status < 0.30 THEN 'won'
            WHEN r_status < 0.52 THEN 'lost'
            WHEN r_status < 0.80 THEN 'declined'
            ELSE 'expired'
        END AS status,
        -- one minute to 14 days, log-uniform; never after now
        least(received_at + interval '1 minute' * power(20160, r_answer), now()) AS answered_at,
        least(received_at + interval '1 minute' * power(20160, r_answer) + interval '1 day' * (10 + 110 * r_close), now()) AS closed_at,
        (ARRAY['notAFit', 'notAFit', 'notAFit', 'insufficientInformation', 'insufficientInformation', 'customerUnreachable',
               'duplicate', 'outsideServiceArea', 'other'])[1 + floor(r_reason * 9)::int] AS decline_reason,
        (ARRAY['competitor', 'competitor', 'noBudget', 'noBudget', 'noDecision', 'customerUnresponsive', 'other'])[1 + floor(r_reason * 7)::int] AS lost_reason,
        (ARRAY['EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP', 'CHF'])[1 + floor(r_currency * 10)::int] AS currency,
        round((1000 + power(r_value, 2) * 199000)::numeric, 2) AS estimated
    FROM (
        SELECT partner_id, n,
            (ARRAY['customerInquiry', 'customerInquiry', 'customerInquiry', 'customerInquiry', 'customerInquiry',
                   'marketingQualified', 'marketingQualified', 'marketingQualified', 'salesQualified', 'salesQualified'])[1 + floor(random() * 10)::int] AS type,
            now() - random() * :days * interval '1 day' AS received_at,
            random() AS r_status, random() AS r_answer, random() AS r_close, random() AS r_reason, random() AS r_currency, random() AS r_value
        FROM (
            SELECT :'partner_id'::uuid AS partner_id, n FROM generate_series(1, :leads) n
            UNION ALL
            SELECT ('00000000-5c0e-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, n
            FROM generate_series(1, :others) p, generate_series(1, :per_other) n
        ) targets
    ) drawn
) seed;
ALTER TABLE leads.leads ENABLE TRIGGER partner_days_on_insert_or_delete;
SELECT leads.rebuild_partner_days();
