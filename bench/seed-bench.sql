-- Leads for one partner, for bench/run.sh. The partner exists already (the admin command created it
-- with its key); this adds :leads leads of one shape:
--   mix       every type, status and age, as bench/seed-leads.sql spreads them (received leads are younger
--             than the response window, so nothing is due); ids are random.
--   received  fresh received leads with the ids bench.uuid(:tag, :first .. :first + :leads - 1), so wrk's
--             Lua script and pgbench can walk them: each accept needs a lead nobody accepted yet. One INSERT,
--             so every lead has the same version and xmin, and a captured accept replays on any of them.
--   due       received leads whose respond_by has passed, for the expiry sweep.
-- psql "$CONNECTION" -v partner_id=<uuid> -v leads=10000 -v shape=mix -f bench/seed-bench.sql
-- (-v tag=N for the ids of received and due leads, -v first=N for their first number, -v analyze=off to skip ANALYZE)
-- The column list is bench/seed-leads.sql's; a migration that adds a required column changes both.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?partner_id} \else \echo 'seed-bench.sql: -v partner_id=<uuid> is required' \quit \endif
\if :{?leads} \else \set leads 10000 \endif
\if :{?shape} \else \set shape mix \endif
\if :{?tag} \else \set tag 0 \endif
\if :{?first} \else \set first 1 \endif
\if :{?analyze} \else \set analyze on \endif

-- Ids the load generators can compute: 8 hex digits of tag, then the sequence number (bench.uuid(7, 42) is
-- 00000007-bead-7000-8000-00000000002a). Outside the leads schema, so the migrations never see it.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.uuid(tag integer, seq bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (lpad(to_hex(tag), 8, '0') || '-bead-7000-8000-' || lpad(to_hex(seq), 12, '0'))::uuid $$;

-- Every lead names its sender (fk_leads_senders_sender_id); the same one as seed-leads.sql.
INSERT INTO leads.senders (id, name, kind, created_at)
VALUES ('00000000-0000-7000-8000-00000000aaaa', 'Bench sender', 'marketplace', now())
ON CONFLICT DO NOTHING;

INSERT INTO leads.leads (
    id, partner_id, type, external_id, campaign_id, need, contact_requested, status,
    received_at, respond_by, accepted_at, closed_at, updated_at,
    customer_company_name, customer_contact_name, customer_email, customer_country, customer_company_size,
    deal_name, deal_estimated_value_amount, deal_estimated_value_currency, deal_estimated_close_date,
    outcome_result, sender_id, sender_kind, sender_name, team)
SELECT
    id, :'partner_id'::uuid, type, NULL, 'CMP-' || (n % 12), 'Need number ' || n || ' about ' || (ARRAY['mail', 'security', 'erp', 'crm', 'cloud'])[1 + n % 5],
    n % 3 = 0, status, received_at, received_at + interval '14 days',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN received_at + interval '1 day' END,
    CASE WHEN status IN ('won', 'lost', 'declined') THEN received_at + interval '3 days'
         WHEN status = 'expired' THEN received_at + interval '14 days' END,
    least(received_at + interval '3 days', now()),
    'Company ' || n, 'Contact ' || n, 'contact' || n || '@example.com', 'PT', 'small',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'Deal ' || n END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (n % 500) * 100.00 END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'EUR' END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (received_at + interval '60 days')::date END,
    CASE WHEN status IN ('won', 'lost') THEN status END,
    '00000000-0000-7000-8000-00000000aaaa', 'marketplace', 'Bench sender', '[]'
FROM (
    SELECT n,
        CASE WHEN :'shape' = 'mix' THEN gen_random_uuid() ELSE bench.uuid(:tag, n) END AS id,
        (ARRAY['customerInquiry', 'marketingQualified', 'salesQualified'])[1 + n % 3] AS type,
        CASE WHEN :'shape' = 'mix' THEN (ARRAY['received', 'received', 'accepted', 'won', 'lost', 'declined', 'expired'])[1 + n % 7]
             ELSE 'received' END AS status,
        CASE :'shape'
            -- received leads are younger than the response window; the sweep has archived the rest
            WHEN 'mix' THEN now() - (CASE WHEN n % 7 < 2 THEN n % 13 ELSE n % 400 END) * interval '1 day' - (n % 1440) * interval '1 minute'
            WHEN 'received' THEN now() - (n % 600) * interval '1 minute'
            -- due: the window closed between one hour and two days ago
            ELSE now() - interval '14 days 1 hour' - (n % 172800) * interval '1 second'
        END AS received_at
    FROM generate_series(:first::bigint, :first::bigint + :leads - 1) n
) seed;

\if :analyze
ANALYZE leads.leads;
\endif
