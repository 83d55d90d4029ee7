-- Partners with realistic business profiles and lead history, and a mix of customer requests, for bench/matching.sh.
-- Deterministic (setseed): the same options give the same partners, leads and requests.
--   :partners   partners, each with a saved profile (default 10000)
--   :leads_min, :leads_max   leads per partner received over the last :days days (default 50, 200, 120)
--   :requests   request bodies in bench.match_requests (default 1000)
-- Profiles: 5-25 expertise keywords from a vocabulary of 240 terms drawn by Zipf-like popularity (weight 1/rank^:zipf,
-- default 1), expertise_words as StoredPartnerProfile writes them (MatchScoring.ExpertiseWords: letters, digits, # and +
-- make words, lower case, each once, sorted: the MatchingCandidates migration's SQL), 1-4 of 16 industries, company
-- sizes (1 in 5 empty: any), business models (1 in 10 empty), lead types (3 in 4 all three), the country's language and
-- often English, 1-3 locations in 30 countries weighted by size (the biggest has 15% of partners; a second location is
-- abroad 1 time in 4), a weekly capacity for 35%, a pause for 4%.
-- Leads: type, status and answer time as partners answer (log-uniform 0.5 h to 4 days; received only while younger than
-- the 14-day response window, so nothing is due), customer industries, sizes and 20,000 customer companies whose email
-- domains the requests reuse, so some requests meet a partner's decline or expiry of the same customer.
-- psql "$CONNECTION" -v partners=10000 -f bench/seed-matching.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?partners} \else \set partners 10000 \endif
\if :{?leads_min} \else \set leads_min 50 \endif
\if :{?leads_max} \else \set leads_max 200 \endif
\if :{?days} \else \set days 120 \endif
\if :{?requests} \else \set requests 1000 \endif
\if :{?zipf} \else \set zipf 1 \endif
SELECT setseed(0.42) \gset

CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.uuid(tag integer, seq bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (lpad(to_hex(tag), 8, '0') || '-bead-7000-8000-' || lpad(to_hex(seq), 12, '0'))::uuid $$;
-- The words of a text as MatchScoring splits them, lower case, each once, sorted.
CREATE OR REPLACE FUNCTION bench.words(texts text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT DISTINCT w FROM unnest(texts) k, regexp_split_to_table(lower(k), '[^[:alnum:]#+]+') w
                      WHERE w <> '' ORDER BY w) $$;
-- Customer c's company: 400 first words of two syllables, then one of 50 second words (20,000 names); its email domain
-- is customer<c>.example. The service's coarse filter is LIKE '%<first word>%'.
CREATE OR REPLACE FUNCTION bench.company(c integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT initcap(s[1 + c % 20] || s[1 + c / 20 % 20]) || ' ' || w[1 + c / 400 % 50] || ' Ltd'
          FROM (SELECT '{ka,lo,mi,ne,ru,sa,to,vi,wen,xa,yo,zu,bra,cor,del,fa,gri,hol,ir,jun}'::text[] AS s,
                       '{Systems,Foods,Logistics,Retail,Health,Motors,Textiles,Labs,Energy,Finance,Media,Travel,Farms,Tools,Homes,
                         Pharma,Steel,Print,Sports,Games,Design,Legal,Water,Solar,Dental,Optics,Audio,Garden,Marine,Rail,Air,
                         Build,Care,Clean,Coffee,Dairy,Fashion,Glass,Hotels,Ink,Jewels,Kitchens,Leather,Metals,Nuts,Oil,Paper,
                         Quartz,Rubber,Silk}'::text[] AS w) t $$;
DROP TABLE IF EXISTS bench.vocabulary, bench.countries, bench.match_requests;

-- Most popular first: rank r is drawn with weight 1 / r^:zipf.
CREATE TABLE bench.vocabulary AS
SELECT rank::int, term, 1 / power(rank, :zipf) AS weight
FROM unnest(ARRAY[
    'microsoft 365', 'azure', 'migration', 'cloud', 'security', 'dynamics 365', 'sharepoint', 'teams', 'power bi',
    'managed services', 'exchange online', 'crm', 'erp', 'intune', 'backup', 'networking', 'data analytics',
    'power platform', 'devops', 'cybersecurity', 'sap', 'salesforce', 'aws', 'google workspace', 'licensing',
    'business central', 'identity', 'entra id', 'copilot', 'artificial intelligence', 'machine learning', 'sql server',
    'power automate', 'power apps', 'windows 11', 'endpoint management', 'help desk', 'it support', 'voip', 'telephony',
    'disaster recovery', 'compliance', 'gdpr', 'data warehouse', 'azure synapse', 'fabric', 'kubernetes', 'docker',
    'linux', 'vmware', 'hyper-v', 'citrix', 'virtual desktop', 'azure virtual desktop', 'firewall', 'sentinel',
    'defender', 'zero trust', 'penetration testing', 'soc', 'siem', 'email security', 'mfa', 'web development',
    'e-commerce', 'shopify', 'magento', 'wordpress', 'mobile apps', 'ios', 'android', '.net', 'c#', 'java', 'python',
    'javascript', 'react', 'angular', 'node.js', 'php', 'integration', 'api management', 'biztalk', 'logic apps',
    'service bus', 'event grid', 'iot', 'edge computing', 'digital twins', 'manufacturing', 'supply chain',
    'warehouse management', 'field service', 'customer service', 'contact center', 'marketing automation',
    'customer insights', 'sales', 'finance and operations', 'project operations', 'human resources', 'payroll',
    'accounting', 'invoicing', 'document management', 'records management', 'intranet', 'knowledge management',
    'collaboration', 'onedrive', 'file server migration', 'tenant migration', 'mailbox migration', 'lotus notes',
    'g suite migration', 'active directory', 'hybrid identity', 'single sign-on', 'conditional access',
    'privileged access', 'information protection', 'purview', 'data loss prevention', 'ediscovery', 'archiving',
    'training', 'adoption', 'change management', 'consulting', 'strategy', 'roadmap', 'assessment', 'audit',
    'cost optimization', 'finops', 'azure arc', 'hybrid cloud', 'private cloud', 'colocation', 'hosting',
    'storage', 'san', 'nas', 'wifi', 'sd-wan', 'vpn', 'network security', 'load balancing', 'cdn', 'dns',
    'monitoring', 'observability', 'log analytics', 'application insights', 'grafana', 'prometheus', 'terraform',
    'bicep', 'ansible', 'ci/cd', 'github', 'azure devops', 'testing', 'quality assurance', 'test automation',
    'low code', 'rpa', 'process mining', 'chatbots', 'azure openai', 'cognitive services', 'computer vision',
    'speech recognition', 'translation', 'search', 'azure ai search', 'databricks', 'snowflake', 'tableau', 'qlik',
    'etl', 'data governance', 'master data', 'data migration', 'oracle', 'postgresql', 'mysql', 'mongodb',
    'cosmos db', 'redis', 'sap s/4hana', 'sap on azure', 'mainframe', 'legacy modernization', 'app modernization',
    'microservices', 'serverless', 'azure functions', 'containers', 'openshift', 'red hat', 'ubuntu',
    'surface devices', 'hardware', 'printers', 'point of sale', 'retail solutions', 'healthcare solutions',
    'education', 'nonprofit', 'public sector', 'government', 'banking', 'insurance', 'legal', 'real estate',
    'construction', 'hospitality', 'logistics', 'energy', 'utilities', 'automotive', 'pharma', 'life sciences',
    'telecommunications', 'media', 'gaming', 'sports', 'agriculture', 'mining', 'aerospace', 'defense',
    'smart buildings', 'gis', 'cad', 'bim', 'plm', 'mes', 'scada', 'ot security', 'backup as a service',
    'desktop as a service', 'security awareness', 'vulnerability management', 'patch management'
]) WITH ORDINALITY AS v(term, rank);

-- ~30 countries; weight = share of partners in percent (the United States 15%); a centre for coordinates, a language,
-- and regions (3-5) and cities (one per region) for the locations and requests.
CREATE TABLE bench.countries (code text PRIMARY KEY, weight float8, lat float8, lon float8, language text, regions text[]);
INSERT INTO bench.countries VALUES
    ('US', 15, 39.8, -98.6, 'en', '{California,Texas,New York,Florida,Washington}'),
    ('DE', 9, 51.2, 10.4, 'de', '{Bayern,Berlin,Hessen,Nordrhein-Westfalen}'),
    ('GB', 8, 52.4, -1.5, 'en', '{England,Scotland,Wales}'),
    ('FR', 6, 46.6, 2.4, 'fr', '{Ile-de-France,Auvergne-Rhone-Alpes,Occitanie}'),
    ('IN', 6, 21.1, 78.0, 'en', '{Karnataka,Maharashtra,Delhi,Tamil Nadu}'),
    ('BR', 5, -14.2, -51.9, 'pt', '{Sao Paulo,Rio de Janeiro,Minas Gerais}'),
    ('JP', 4, 36.2, 138.3, 'ja', '{Tokyo,Osaka,Aichi}'),
    ('CA', 4, 56.1, -106.3, 'en', '{Ontario,Quebec,British Columbia}'),
    ('AU', 4, -25.3, 133.8, 'en', '{New South Wales,Victoria,Queensland}'),
    ('ES', 3.5, 40.5, -3.7, 'es', '{Madrid,Cataluna,Andalucia}'),
    ('IT', 3.5, 41.9, 12.6, 'it', '{Lombardia,Lazio,Piemonte}'),
    ('NL', 3, 52.1, 5.3, 'nl', '{Noord-Holland,Zuid-Holland,Utrecht}'),
    ('MX', 2.5, 23.6, -102.6, 'es', '{Ciudad de Mexico,Jalisco,Nuevo Leon}'),
    ('PL', 2.5, 51.9, 19.1, 'pl', '{Mazowieckie,Malopolskie,Slaskie}'),
    ('SE', 2, 60.1, 18.6, 'sv', '{Stockholm,Vastra Gotaland,Skane}'),
    ('CH', 2, 46.8, 8.2, 'de', '{Zurich,Geneve,Bern}'),
    ('BE', 1.5, 50.5, 4.5, 'nl', '{Vlaanderen,Wallonie,Bruxelles}'),
    ('PT', 1.5, 39.4, -8.2, 'pt', '{Lisboa,Porto,Braga}'),
    ('AT', 1.5, 47.5, 14.6, 'de', '{Wien,Steiermark,Tirol}'),
    ('DK', 1.5, 56.3, 9.5, 'da', '{Hovedstaden,Midtjylland,Syddanmark}'),
    ('NO', 1.5, 60.5, 8.5, 'nb', '{Oslo,Vestland,Trondelag}'),
    ('FI', 1, 61.9, 25.7, 'fi', '{Uusimaa,Pirkanmaa,Varsinais-Suomi}'),
    ('IE', 1, 53.4, -8.2, 'en', '{Leinster,Munster,Connacht}'),
    ('ZA', 1.5, -30.6, 22.9, 'en', '{Gauteng,Western Cape,KwaZulu-Natal}'),
    ('SG', 1.5, 1.35, 103.8, 'en', '{Central,East,West}'),
    ('AE', 1, 23.4, 53.8, 'ar', '{Dubai,Abu Dhabi,Sharjah}'),
    ('TR', 1.5, 38.9, 35.2, 'tr', '{Istanbul,Ankara,Izmir}'),
    ('AR', 1, -38.4, -63.6, 'es', '{Buenos Aires,Cordoba,Santa Fe}'),
    ('CZ', 1, 49.8, 15.5, 'cs', '{Praha,Jihomoravsky,Moravskoslezsky}'),
    ('KR', 2, 35.9, 127.8, 'ko', '{Seoul,Busan,Gyeonggi}');
-- Cumulative shares in [0, 1): a country is drawn by a uniform number falling in [lo, hi).
CREATE TEMP TABLE country_pick AS
SELECT code, lat, lon, language, regions,
       (sum(weight) OVER (ORDER BY weight DESC, code) - weight) / sum(weight) OVER () AS lo,
       sum(weight) OVER (ORDER BY weight DESC, code) / sum(weight) OVER () AS hi
FROM bench.countries;

CREATE TEMP TABLE industry_list AS
SELECT ARRAY['retail', 'healthcare', 'manufacturing', 'financial services', 'education', 'public sector', 'professional services',
             'hospitality', 'logistics', 'energy', 'real estate', 'construction', 'media', 'telecommunications', 'nonprofit',
             'agriculture'] AS industries;

INSERT INTO leads.senders (id, name, kind, created_at)
VALUES ('00000000-0000-7000-8000-00000000aaaa', 'Bench sender', 'marketplace', now())
ON CONFLICT DO NOTHING;

-- ---- partners and profiles ----------------------------------------------------------------------------------------

CREATE TEMP TABLE seed_partner AS
SELECT n, bench.uuid(77, n) AS id, 5 + floor(random() * 21)::int AS keyword_count, 1 + floor(random() * 3)::int AS location_count,
       random() AS r_country, random() AS r_extra, random() AS quality
FROM generate_series(1, :partners) n;

INSERT INTO leads.partners (id, name, created_at)
SELECT id, 'Bench partner ' || n, now() - interval '400 days' FROM seed_partner;

-- Weighted sampling without replacement (Efraimidis-Spirakis): the keyword_count terms with the largest random()^(1/w).
CREATE TEMP TABLE seed_keyword AS
SELECT partner_n, term FROM (
    SELECT p.n AS partner_n, v.term, v.rank, p.keyword_count,
           row_number() OVER (PARTITION BY p.n ORDER BY ln(random()) / v.weight DESC) AS pick
    FROM seed_partner p CROSS JOIN bench.vocabulary v
) k WHERE pick <= keyword_count;

CREATE TEMP TABLE seed_location AS
SELECT p.n AS partner_n, l.i, c.code, c.regions[1 + floor(l.r_region * array_length(c.regions, 1))::int] AS region,
       c.lat + (l.r_lat - 0.5) * 4 AS lat, c.lon + (l.r_lon - 0.5) * 6 AS lon, l.radius
FROM seed_partner p
CROSS JOIN LATERAL (
    SELECT i, random() AS r_region, random() AS r_lat, random() AS r_lon,
           -- the first location in the home country; a further one abroad 1 time in 4
           CASE WHEN i = 1 OR random() < 0.75 THEN p.r_country ELSE random() END AS r_country,
           CASE WHEN random() < 0.2 THEN NULL ELSE (ARRAY[25, 50, 100, 200])[1 + floor(random() * 4)::int] END AS radius
    FROM generate_series(1, p.location_count) i
) l
JOIN country_pick c ON l.r_country >= c.lo AND l.r_country < c.hi;

INSERT INTO leads.partner_profiles (
    partner_id, version, updated_at, expertise_keywords, expertise_words, industries, company_sizes, business_models,
    lead_types, languages, countries, locations, weekly_capacity, paused_until, pause_reason)
SELECT p.id, 1, now() - interval '30 days', k.keywords, bench.words(k.keywords),
       ARRAY(SELECT i FROM unnest((SELECT industries FROM industry_list)) i ORDER BY random() + p.n * 0 LIMIT 1 + (p.n % 4)),
       CASE WHEN p.n % 5 = 0 THEN '{}'::text[]
            ELSE (ARRAY['micro', 'small', 'medium', 'large', 'enterprise'])[1 + p.n % 3 : 3 + p.n % 3] END,
       CASE WHEN p.n % 10 = 0 THEN '{}'::text[]
            ELSE ARRAY(SELECT m FROM unnest(ARRAY['projectServices', 'managedServices', 'licensing', 'software', 'consulting', 'training']) m
                       ORDER BY random() + p.n * 0 LIMIT 1 + p.n % 3) END,
       CASE WHEN p.n % 4 <> 0 THEN ARRAY['customerInquiry', 'marketingQualified', 'salesQualified']
            WHEN p.n % 8 = 0 THEN ARRAY['customerInquiry'] ELSE ARRAY['customerInquiry', 'salesQualified'] END,
       ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[hc.language, CASE WHEN p.r_extra < 0.7 THEN 'en' END]) x WHERE x IS NOT NULL ORDER BY x),
       ARRAY(SELECT DISTINCT code FROM seed_location l WHERE l.partner_n = p.n ORDER BY code),
       (SELECT jsonb_agg(jsonb_build_object(
                'name', 'Office ' || l.i, 'country', l.code, 'region', l.region, 'city', l.region || ' City',
                'coordinates', jsonb_build_object('latitude', round(l.lat::numeric, 4), 'longitude', round(l.lon::numeric, 4)),
                'serviceRadiusKm', l.radius, 'contact', NULL) ORDER BY l.i)
        FROM seed_location l WHERE l.partner_n = p.n),
       CASE WHEN p.n * 37 % 100 < 35 THEN (ARRAY[10, 20, 30, 50, 80])[1 + p.n % 5] END,
       CASE WHEN p.n % 25 = 0 THEN now() + (1 + p.n % 20) * interval '1 day' END,
       CASE WHEN p.n % 25 = 0 THEN 'Holidays' END
FROM seed_partner p
JOIN (SELECT partner_n, array_agg(term ORDER BY term) AS keywords FROM seed_keyword GROUP BY partner_n) k ON k.partner_n = p.n
JOIN seed_location home ON home.partner_n = p.n AND home.i = 1
JOIN country_pick hc ON hc.code = home.code;

-- ---- leads -------------------------------------------------------------------------------------------------------

-- Per lead: its age, whether and how fast the partner answered (a partner's quality sets how many it lets expire), and
-- what became of it. Received only while younger than the response window (14 days) and not yet answered.
-- The roll-up of partner_days (migration PartnerDays) is rebuilt in one pass after the load, not row by row.
ALTER TABLE leads.leads DISABLE TRIGGER partner_days_on_insert_or_delete;
INSERT INTO leads.leads (
    id, partner_id, type, external_id, campaign_id, need, contact_requested, status,
    received_at, respond_by, accepted_at, closed_at, updated_at,
    customer_company_name, customer_contact_name, customer_email, customer_country, customer_company_size, customer_industry,
    decline_reason, outcome_lost_reason,
    deal_name, deal_estimated_value_amount, deal_estimated_value_currency, deal_estimated_close_date,
    outcome_result, sender_id, sender_kind, sender_name, team)
SELECT
    gen_random_uuid(), partner_id, type, NULL, NULL, 'Need about ' || industry, customer % 3 = 0, status,
    received_at, received_at + interval '14 days',
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN answered_at END,
    CASE WHEN status = 'declined' THEN answered_at
         WHEN status IN ('won', 'lost') THEN least(answered_at + (10 + customer % 50) * interval '1 day', now())
         WHEN status = 'expired' THEN received_at + interval '14 days' END,
    least(greatest(answered_at, received_at), now()),
    bench.company(customer), 'Buyer ' || customer, 'buyer@customer' || customer || '.example', country,
    (ARRAY['micro', 'small', 'medium', 'large', 'enterprise'])[1 + customer % 5], industry,
    CASE WHEN status = 'declined' THEN (ARRAY['notAFit', 'insufficientInformation', 'customerUnreachable', 'duplicate', 'outsideServiceArea', 'other'])[1 + customer % 6] END,
    CASE WHEN status = 'lost' THEN (ARRAY['competitor', 'noBudget', 'noDecision', 'customerUnresponsive', 'other'])[1 + customer % 5] END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'Deal ' || customer END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (customer % 500) * 100.00 END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN 'EUR' END,
    CASE WHEN status IN ('accepted', 'won', 'lost') THEN (received_at + interval '60 days')::date END,
    CASE WHEN status IN ('won', 'lost') THEN status END,
    '00000000-0000-7000-8000-00000000aaaa', 'marketplace', 'Bench sender', '[]'
FROM (
    SELECT *,
        CASE WHEN NOT answers THEN CASE WHEN received_at > now() - interval '14 days' THEN 'received' ELSE 'expired' END
             WHEN answered_at > now() THEN 'received'
             WHEN r_outcome < 0.22 THEN 'declined'
             WHEN answered_at > now() - interval '30 days' OR r_outcome < 0.57 THEN 'accepted'
             WHEN r_outcome < 0.80 THEN 'won' ELSE 'lost' END AS status
    FROM (
        SELECT p.id AS partner_id, l.received_at, l.received_at + l.answer_hours * interval '1 hour' AS answered_at,
               l.r_answer < 0.97 - 0.3 * p.quality AS answers, l.r_outcome, l.customer, l.type, l.industry, home.code AS country
        FROM seed_partner p
        JOIN seed_location home ON home.partner_n = p.n AND home.i = 1
        CROSS JOIN LATERAL (
            SELECT now() - random() * :days * interval '1 day' AS received_at,
                   -- log-uniform from half an hour to four days
                   exp(ln(0.5) + random() * ln(192)) AS answer_hours,
                   random() AS r_answer, random() AS r_outcome, 1 + floor(random() * 20000)::int AS customer,
                   (ARRAY['customerInquiry', 'customerInquiry', 'customerInquiry', 'customerInquiry', 'customerInquiry',
                          'marketingQualified', 'marketingQualified', 'marketingQualified', 'salesQualified', 'salesQualified'])[1 + floor(random() * 10)::int] AS type,
                   (SELECT industries FROM industry_list)[1 + floor(random() * 16)::int] AS industry
            FROM generate_series(1, :leads_min + floor(random() * (:leads_max - :leads_min + 1))::int + p.n * 0)
        ) l
    ) a
) b;
ALTER TABLE leads.leads ENABLE TRIGGER partner_days_on_insert_or_delete;
SELECT leads.rebuild_partner_days();

-- ---- requests ----------------------------------------------------------------------------------------------------

-- The customer requests the load generator rotates through, as JSON bodies of POST /v1/matches, and for pgbench the
-- parameters the service derives from each (its words as MatchScoring.WordsOf, its customer's domain and company word).
-- The mix: the country drawn with the partners' weights, 2-4 keywords with the vocabulary's popularity, need text 40%,
-- industry 70%, company size 60%, language 50%, coordinates 30%, a customer (email and company) 50%.
CREATE TEMP TABLE seed_request AS
SELECT n, random() AS r_country, 2 + floor(random() * 3)::int AS keyword_count, random() AS r_need, random() AS r_industry,
       random() AS r_size, random() AS r_language, random() AS r_coordinates, random() AS r_customer,
       1 + floor(random() * 20000)::int AS customer, random() AS r_lat, random() AS r_lon, random() AS r_region,
       (SELECT industries FROM industry_list)[1 + floor(random() * 16)::int] AS industry,
       (ARRAY['customerInquiry', 'customerInquiry', 'customerInquiry', 'marketingQualified', 'salesQualified'])[1 + floor(random() * 5)::int] AS lead_type,
       (ARRAY['micro', 'small', 'medium', 'large', 'enterprise'])[1 + floor(random() * 5)::int] AS company_size
FROM generate_series(1, :requests) n;

CREATE TEMP TABLE seed_request_keyword AS
SELECT request_n, term, pick FROM (
    SELECT r.n AS request_n, v.term, r.keyword_count, row_number() OVER (PARTITION BY r.n ORDER BY ln(random()) / v.weight DESC) AS pick
    FROM seed_request r CROSS JOIN bench.vocabulary v
) k WHERE pick <= keyword_count;

CREATE TABLE bench.match_requests AS
SELECT r.n, body, country, lead_type, coalesce(body ->> 'industry', '') AS industry,
       -- the words the service filters on: the keywords', then the need's without stop words, numbers and one-letter words
       ARRAY(SELECT DISTINCT w FROM unnest(bench.words(keywords || coalesce(body ->> 'need', ''))) w
             WHERE length(w) > 1 AND w !~ '^[0-9]+$' AND w NOT IN (
                 'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'for', 'from', 'get', 'has', 'have', 'help', 'i',
                 'in', 'into', 'is', 'it', 'its', 'like', 'me', 'move', 'my', 'need', 'needs', 'new', 'of', 'on', 'or',
                 'our', 'out', 'set', 'so', 'some', 'that', 'the', 'their', 'them', 'this', 'to', 'up', 'us', 'want',
                 'we', 'with', 'would', 'you', 'your')
             ORDER BY w) AS words,
       CASE WHEN body ? 'customer' THEN 'customer' || r.customer || '.example' ELSE '' END AS domain,
       CASE WHEN body ? 'customer' THEN '%' || lower(split_part(bench.company(r.customer), ' ', 1)) || '%' ELSE '' END AS company_word
FROM (
    SELECT r.*, c.code AS country, k.keywords, jsonb_strip_nulls(jsonb_build_object(
        'leadType', r.lead_type,
        'country', c.code,
        'keywords', to_jsonb(k.keywords),
        'need', CASE WHEN r.r_need < 0.4 THEN 'We need help with ' || k.keywords[1] || ' and ' || k.keywords[array_length(k.keywords, 1)]
                                              || ' for our ' || r.industry || ' team of ' || (10 + r.n % 200) || ' people' END,
        'industry', CASE WHEN r.r_industry < 0.7 THEN r.industry END,
        'companySize', CASE WHEN r.r_size < 0.6 THEN r.company_size END,
        'language', CASE WHEN r.r_language < 0.5 THEN c.language END,
        'region', CASE WHEN r.r_coordinates < 0.5 THEN c.regions[1 + floor(r.r_region * array_length(c.regions, 1))::int] END,
        'coordinates', CASE WHEN r.r_coordinates < 0.3 THEN jsonb_build_object(
            'latitude', round((c.lat + (r.r_lat - 0.5) * 4)::numeric, 4), 'longitude', round((c.lon + (r.r_lon - 0.5) * 6)::numeric, 4)) END,
        'customer', CASE WHEN r.r_customer < 0.5 THEN jsonb_build_object(
            'email', 'buyer@customer' || r.customer || '.example', 'companyName', bench.company(r.customer)) END)) AS body
    FROM seed_request r
    JOIN (SELECT request_n, array_agg(term ORDER BY pick) AS keywords FROM seed_request_keyword GROUP BY request_n) k ON k.request_n = r.n
    JOIN country_pick c ON r.r_country >= c.lo AND r.r_country < c.hi
) r;
ALTER TABLE bench.match_requests ADD PRIMARY KEY (n);

VACUUM (ANALYZE) leads.partners, leads.partner_profiles, leads.leads;
