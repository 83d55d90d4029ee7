using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Domain.Partners;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LeadsApi.Matching;

/// <summary>
/// The partners a customer request is matched against, as <see cref="MatchScoring.Rank"/> reads them, in three round
/// trips that never scan every partner:
/// <list type="number">
/// <item>the profiles with a location in the customer's country (GIN index on <c>countries</c>), at most
/// <see cref="MatchingOptions.MaxCandidates"/> of them, those sharing the most expertise words with the request first;</item>
/// <item>their history over the last <see cref="MatchingOptions.HistoryDays"/> days and their load this week and the last
/// 7 days, one row per partner from its range of <c>ix_leads_scorecard</c>;</item>
/// <item>the leads of the same customer they declined or let expire in the last 90 days.</item>
/// </list>
/// A partner without a saved profile says nothing it serves, and is not a candidate.
/// </summary>
public sealed class CandidateSource(IOptions<MatchingOptions> matching, IOptions<LeadsOptions> leads, IOptions<HttpJsonOptions> json)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    /// <summary>The candidates for <paramref name="request"/> at <paramref name="now"/>, leaving out <paramref name="leaveOut"/>.</summary>
    public async Task<List<MatchCandidate>> LoadAsync(
        LeadsDbContext db, CustomerRequest request, IReadOnlyCollection<Guid> leaveOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var words = MatchScoring.WordsOf(request).ToArray();
        var excluded = leaveOut.ToArray();
        var industry = request.Industry?.Trim().ToLowerInvariant() ?? "";
        // The partners of the customer's country (GIN on countries), the Matching:MaxCandidates of them that share the most
        // words with the request first (then serve its industry, then by id): the history read after this is per candidate,
        // so the cap is what keeps a match fast in a country of thousands of partners (bench/matching.sh). Ranked on the
        // narrow rows, with a count of the profile's words among the request's (expertise_words are distinct), before the
        // wide columns of the hundred are read: an INTERSECT per profile cost 20 µs each (docs/query-plans.md).
        var profiles = await db.Database.SqlQuery<ProfileRow>($"""
            SELECT p.partner_id, a.name, p.expertise_keywords, p.industries, p.company_sizes, p.business_models, p.lead_types,
                   p.languages, p.locations::text AS locations, p.weekly_capacity, p.paused_until
            FROM (
                SELECT partner_id
                FROM leads.partner_profiles
                WHERE countries @> ARRAY[{request.Country}]::text[] AND NOT (partner_id = ANY({excluded}::uuid[]))
                ORDER BY (SELECT count(*) FROM unnest(expertise_words) w WHERE w = ANY({words}::text[])) DESC,
                         industries @> ARRAY[{industry}]::text[] DESC, partner_id
                LIMIT {matching.Value.MaxCandidates}
            ) c
            JOIN leads.partner_profiles p ON p.partner_id = c.partner_id
            JOIN leads.partners a ON a.id = c.partner_id
            """).ToListAsync(cancellationToken);
        if (profiles.Count == 0)
        {
            return [];
        }

        var ids = profiles.Select(p => p.PartnerId).ToArray();
        var history = await HistoryAsync(db, ids, request.LeadType, industry, now, cancellationToken);
        var answers = await SameCustomerAnswersAsync(db, ids, request, now, cancellationToken);
        return [.. profiles.Select(p => Candidate(p, history.GetValueOrDefault(p.PartnerId), answers[p.PartnerId]))];
    }

    /// <summary>
    /// The candidates for <paramref name="request"/> ranked with the configured weights, explanations for the first
    /// <paramref name="limit"/>: what matching, routing and re-routing all answer from, and how many were considered.
    /// </summary>
    public async Task<(MatchResult Result, int Considered)> RankAsync(
        LeadsDbContext db, CustomerRequest request, IReadOnlyCollection<Guid> leaveOut, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var candidates = await LoadAsync(db, request, leaveOut, now, cancellationToken);
        return (MatchScoring.Rank(request, candidates, matching.Value.Weights, now, limit), candidates.Count);
    }

    /// <summary>Monday 00:00 UTC of the week <paramref name="now"/> is in: weekly capacity counts the leads received since.</summary>
    public static DateTimeOffset CapacityWeekStart(DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date;
        return new DateTimeOffset(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), TimeSpan.Zero);
    }

    private async Task<Dictionary<Guid, HistoryRow>> HistoryAsync(
        LeadsDbContext db, Guid[] ids, LeadType leadType, string industry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = now - matching.Value.History;
        var weekStart = CapacityWeekStart(now);
        var sevenDaysAgo = now - TimeSpan.FromDays(7);
        var loadFrom = new[] { from, weekStart, sevenDaysAgo }.Min();
        // Similar past leads: the request's type, and its industry (lower case, "" for none) when it names one (docs/matching.md).
        var type = Names.Of(leadType);

        // As the scorecard: the status every reader sees now (a received lead past respond_by is expired), and the time to
        // respond from received_at to acceptedAt, or closedAt for a decline (the functions of migration PartnerDays). The
        // OFFSET 0 fences keep each row's columns computed once: pulled up, every FILTER evaluated them again (a third
        // of the statement's time, bench/matching.sh).
        var rows = await db.Database.SqlQuery<HistoryRow>($"""
            WITH l AS (
                SELECT partner_id, type, received_at, customer_industry,
                       leads.status_now(status, respond_by, {now}) AS status_now,
                       leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds
                FROM leads.leads
                WHERE partner_id = ANY({ids}::uuid[]) AND received_at >= {loadFrom} AND received_at <= {now}
                OFFSET 0
            ), h AS (
                SELECT *, received_at >= {from} AS in_window,
                       received_at >= {from} AND type = {type} AND ({industry} = '' OR lower(btrim(customer_industry)) = {industry}) AS is_similar,
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
                   count(*) FILTER (WHERE received_at >= {weekStart})::int AS this_week,
                   count(*) FILTER (WHERE received_at >= {sevenDaysAgo})::int AS last_seven_days
            FROM h
            GROUP BY partner_id
            """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PartnerId);
    }

    private async Task<ILookup<Guid, RecentAnswer>> SameCustomerAnswersAsync(
        LeadsDbContext db, Guid[] ids, CustomerRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (domain, company) = MatchScoring.CustomerOf(request);
        if (domain is null && company is null)
        {
            return Array.Empty<RecentAnswer>().ToLookup(a => a.LeadId);
        }

        var from = now - MatchScoring.SameCustomerWindow;
        // A lead is declined or expires at most a response window after it arrived: that bounds the index range.
        var receivedFrom = from - leads.Value.ResponseWindow;
        // A coarse filter on the company's first word; the scoring compares the whole normalized name (and domain) again.
        // By the customer, not by the candidates (thousands of partners, each with its declines): the domain has its
        // expression index (ix_leads_customer_domain), the ILIKE the search's trigram index on the company name.
        // Two plain branches, not one OR over "is there a domain / a company": a prepared statement's generic plan (the
        // service auto-prepares) cannot drop the branch it has no value for, and then read every lead (bench/matching.sh's
        // pgbench replay sat minutes on it). A branch without its value compares to null and finds nothing.
        var companyWord = company is null ? null : $"%{company.Split(' ')[0]}%";
        var rows = await db.Database.SqlQuery<AnswerRow>($"""
            SELECT partner_id, id, status = 'declined' AS declined, COALESCE(closed_at, respond_by) AS at,
                   customer_email, customer_company_name
            FROM leads.leads
            WHERE partner_id = ANY({ids}::uuid[]) AND received_at >= {receivedFrom} AND received_at <= {now}
              AND (status = 'declined' AND closed_at >= {from}
                   OR status IN ('expired', 'received') AND respond_by >= {from} AND respond_by <= {now})
              AND lower(split_part(customer_email, '@', 2)) = {domain}
            UNION
            SELECT partner_id, id, status = 'declined' AS declined, COALESCE(closed_at, respond_by) AS at,
                   customer_email, customer_company_name
            FROM leads.leads
            WHERE partner_id = ANY({ids}::uuid[]) AND received_at >= {receivedFrom} AND received_at <= {now}
              AND (status = 'declined' AND closed_at >= {from}
                   OR status IN ('expired', 'received') AND respond_by >= {from} AND respond_by <= {now})
              AND customer_company_name ILIKE {companyWord}
            """).ToListAsync(cancellationToken);
        return rows.ToLookup(r => r.PartnerId, r => new RecentAnswer(
            r.Id, r.Declined ? RecentAnswerKind.Declined : RecentAnswerKind.Expired, r.At,
            CustomerRequest.DomainOf(r.CustomerEmail), r.CustomerCompanyName));
    }

    private MatchCandidate Candidate(ProfileRow profile, HistoryRow? history, IEnumerable<RecentAnswer> answers)
    {
        var locations = JsonSerializer.Deserialize<List<ServiceLocation>>(profile.Locations, _json) ?? [];
        var leadTypes = profile.LeadTypes.Select(Parse<LeadType>).ToList();
        return new MatchCandidate
        {
            PartnerId = profile.PartnerId,
            Name = profile.Name,
            ExpertiseKeywords = profile.ExpertiseKeywords,
            Industries = profile.Industries,
            // The profile's empty lists mean "any" (PartnerProfile); the scoring reads what is served.
            CompanySizes = profile.CompanySizes.Length == 0 ? Enum.GetValues<CompanySize>() : [.. profile.CompanySizes.Select(Parse<CompanySize>)],
            BusinessModels = profile.BusinessModels.Length == 0 ? [.. Enum.GetValues<BusinessModel>().Select(Names.Of)] : profile.BusinessModels,
            LeadTypesAccepted = leadTypes.Count == 0 ? Enum.GetValues<LeadType>() : leadTypes,
            Languages = profile.Languages,
            Locations = [.. locations.Select(l => new CandidateLocation
            {
                Name = l.Name,
                Country = l.Country,
                Region = l.Region,
                City = l.City,
                Coordinates = l.Coordinates,
                ServiceRadiusKm = l.ServiceRadiusKm,
            })],
            WeeklyCapacity = profile.WeeklyCapacity,
            LeadsThisWeek = history?.ThisWeek ?? 0,
            PausedUntil = profile.PausedUntil,
            LeadsLast7Days = history?.LastSevenDays ?? 0,
            History = history is null ? CandidateHistory.None : new CandidateHistory
            {
                ResolvedLeads = history.Resolved,
                MedianHoursToRespond = history.MedianSeconds / 3600,
                AnsweredWithin24hShare = Share(history.AnsweredWithinDay, history.Resolved),
                ExpiryRate = Share(history.Expired, history.Resolved),
                SimilarLeads = history.Similar,
                SimilarAcceptanceRate = Share(history.SimilarAccepted, history.Similar),
                SimilarClosedLeads = history.SimilarClosed,
                SimilarWinRate = Share(history.SimilarWon, history.SimilarClosed),
            },
            RecentAnswers = [.. answers],
        };
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static T Parse<T>(string name) where T : struct, Enum => Enum.Parse<T>(name, ignoreCase: true);

    private sealed record ProfileRow(
        Guid PartnerId, string Name, string[] ExpertiseKeywords, string[] Industries, string[] CompanySizes, string[] BusinessModels,
        string[] LeadTypes, string[] Languages, string Locations, int? WeeklyCapacity, DateTimeOffset? PausedUntil);

    private sealed record HistoryRow(
        Guid PartnerId, int Resolved, double? MedianSeconds, int AnsweredWithinDay, int Expired,
        int Similar, int SimilarAccepted, int SimilarClosed, int SimilarWon, int ThisWeek, int LastSevenDays);

    private sealed record AnswerRow(Guid PartnerId, Guid Id, bool Declined, DateTimeOffset At, string? CustomerEmail, string? CustomerCompanyName);
}
