-- Fills the leads schema with a realistic spread for query plans and load tests:
-- 200 partners x 1000 leads (200k leads), all types, statuses and ages, and a few favorites.
-- psql "$CONNECTION" -v partners=200 -v per_partner=1000 -f bench/seed-leads.sql
\set ON_ERROR_STOP on
\if :{?partners} \else \set partners 200 \endif
\if :{?per_partner} \else \set per_partner 1000 \endif

INSERT INTO leads.partners (id, name, created_at)
SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, 'Bench partner ' || p, now()
FROM generate_series(1, :partners) p
ON CONFLICT DO NOTHING;

-- Every lead names its sender (fk_leads_senders_sender_id).
INSERT INTO leads.senders (id, name, kind, created_at)
VALUES ('00000000-0000-7000-8000-00000000aaaa', 'Bench sender', 'marketplace', now())
ON CONFLICT DO NOTHING;

-- The roll-up of partner_days (migration PartnerDays) is rebuilt in one pass after the load, not row by row.
ALTER TABLE leads.leads DISABLE TRIGGER partner_days_on_insert_or_delete;
INSERT INTO leads.leads (
    id, partner_id, type, external_id, campaign_id, need, contact_requested, status,
    received_at, respond_by, accepted_at, closed_at, updated_at,
    customer_company_name, customer_contact_name, customer_email, customer_country, customer_company_size,
    deal_name, deal_estimated_value_amount, deal_estimated_value_currency, deal_estimated_close_date,
    outcome_result, sender_id, sender_kind, sender_name, team)
SELECT
    gen_random_uuid(), partner_id, type, NULL, 'CMP-' || (n % 12), 'Need number ' || n || ' about ' || (ARRAY['mail', 'security', 'erp', 'crm', 'cloud'])[1 + n % 5],
    n % 3 = 0, status, received_at, received_at + interval '14 days',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN received_at + interval '1 day' END,
    CASE WHEN status IN ('won', 'lost', 'declined') THEN received_at + interval '3 days'
         WHEN status = 'expired' THEN received_at + interval '14 days' END,
    received_at + interval '3 days',
    'Company ' || n, 'Contact ' || n, 'contact' || n || '@example.com', 'PT', 'small',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'Deal ' || n END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (n % 500) * 100.00 END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'EUR' END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (received_at + interval '60 days')::date END,
    CASE WHEN status IN ('won', 'lost') THEN status END,
    '00000000-0000-7000-8000-00000000aaaa', 'marketplace', 'Bench sender', '[]'
FROM (
    SELECT p, n,
        ('00000000-0000-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid AS partner_id,
        (ARRAY['customerInquiry', 'marketingQualified', 'salesQualified'])[1 + n % 3] AS type,
        (ARRAY['received', 'received', 'accepted', 'won', 'lost', 'declined', 'expired'])[1 + n % 7] AS status,
        -- received leads are younger than the response window; the sweep has archived the rest
        now() - (CASE WHEN n % 7 < 2 THEN n % 13 ELSE n % 400 END) * interval '1 day' - (n % 1440) * interval '1 minute' AS received_at
    FROM generate_series(1, :partners) p, generate_series(1, :per_partner) n
) seed;
ALTER TABLE leads.leads ENABLE TRIGGER partner_days_on_insert_or_delete;
SELECT leads.rebuild_partner_days();

ANALYZE leads.leads;
