using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadsApi.Partners;

/// <summary>The scorecard of <paramref name="PartnerId"/> over the <paramref name="Days"/> days before now, and the window before that.</summary>
public sealed record GetScorecard(Guid PartnerId, int Days) : IQuery<ScorecardResponse>;

public sealed class PartnerNotFoundException(Guid partnerId) : Exception($"No partner has the id {partnerId}.");

/// <summary>
/// Three queries over the partner's leads received in both windows. The whole UTC days of a window that ended at least
/// 72 hours ago come from the roll-up the leads' trigger keeps (leads.partner_days and partner_day_breakdowns, migration
/// PartnerDays); the rest of the window (part of its first day, its last three or four days) from the leads, by the
/// index (partner_id, received_at) with its included columns. A 90-day window thus reads about 90 roll-up rows and a few
/// days of leads, however many leads the partner has (docs/performance.md#scorecard): one row of counts per window, the
/// answer times (the percentiles are taken here, over every answer of the window: exact), and one row per window and
/// reason or currency.
/// </summary>
public sealed class GetScorecardHandler(LeadsDbContext db, TimeProvider time) : IQueryHandler<GetScorecard, ScorecardResponse>
{
    private const int Current = 0;
    private const int Previous = 1;

    /// <summary>A day's leads counted by <c>answeredWithin72h</c> and the 24 h figures without a look at now: those days come from the roll-up.</summary>
    private static readonly TimeSpan RecentLeads = TimeSpan.FromHours(72);

    /// <summary>
    /// The parts of both windows (<see cref="WindowParts"/>) every query reads: lead_ranges, two per window, of leads by
    /// received_at; day_ranges, one per window, of the roll-up's days. The bounds are cast: in VALUES an untyped parameter
    /// (pgbench's replay, bench/scorecard.sh) would be text.
    /// </summary>
    private const string Ranges = """
        WITH lead_ranges (period, from_at, to_at) AS (
            VALUES (0, @current_from::timestamptz, @current_days_from_at::timestamptz), (0, @current_days_to_at::timestamptz, @current_to::timestamptz),
                   (1, @previous_from::timestamptz, @previous_days_from_at::timestamptz), (1, @previous_days_to_at::timestamptz, @previous_to::timestamptz)
        ), day_ranges (period, from_day, to_day, from_at, to_at) AS (
            VALUES (0, @current_days_from::date, @current_days_to::date, @current_days_from_at::timestamptz, @current_days_to_at::timestamptz),
                   (1, @previous_days_from::date, @previous_days_to::date, @previous_days_from_at::timestamptz, @previous_days_to_at::timestamptz)
        )
        """;

    public async ValueTask<ScorecardResponse> Handle(GetScorecard query, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == query.PartnerId, cancellationToken))
        {
            throw new PartnerNotFoundException(query.PartnerId);
        }

        var now = time.GetUtcNowMicroseconds();
        var length = TimeSpan.FromDays(query.Days);
        var from = now - length;
        var previousFrom = from - length;
        var end = now.AddTicks(TimeSpan.TicksPerMicrosecond); // the current window holds a lead received at this very microsecond
        var (current, previous) = (WindowParts.Of(from, end, now), WindowParts.Of(previousFrom, from, now));
        object[] Parameters() =>
        [
            new NpgsqlParameter("partner_id", query.PartnerId),
            new NpgsqlParameter("now", now),
            new NpgsqlParameter("before_24h", now - TimeSpan.FromHours(24)),
            new NpgsqlParameter("before_72h", now - TimeSpan.FromHours(72)),
            .. current.Parameters("current"),
            .. previous.Parameters("previous"),
        ];

        // The status as every reader sees it now (leads.status_now: a received lead past respond_by is expired) and the time
        // to respond (leads.time_to_respond) are the functions the roll-up's trigger counts with. Each range of leads is its
        // own range of the index (OFFSET 0 keeps it so). Every lead of the roll-up's days was received more than 72 hours
        // ago: all of them count in the 24 h and 72 h figures. The roll-up counts stored statuses: its days' leads still
        // stored as received but past respond-by (those the sweep has not reached yet) are read from the leads by
        // ix_leads_partner_id_status_respond_by and counted expired.
        var totals = await db.Database.SqlQueryRaw<PeriodRow>(Ranges + """
            , recent AS (
                SELECT r.period, l.*
                FROM lead_ranges r
                CROSS JOIN LATERAL (
                    SELECT leads.status_now(status, respond_by, @now) AS status_now, type, received_at,
                           leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds
                    FROM leads.leads
                    WHERE partner_id = @partner_id AND received_at >= r.from_at AND received_at < r.to_at
                    OFFSET 0
                ) l
            ), days AS (
                SELECT r.period, d.*
                FROM day_ranges r
                JOIN leads.partner_days d ON d.partner_id = @partner_id AND d.day >= r.from_day AND d.day < r.to_day
            ), past_respond_by AS (
                SELECT r.period, count(*) AS leads
                FROM day_ranges r
                JOIN leads.leads l ON l.partner_id = @partner_id AND l.status = 'received' AND l.respond_by <= @now
                                  AND l.received_at >= r.from_at AND l.received_at < r.to_at
                GROUP BY r.period
            ), parts AS (
                SELECT period,
                       count(*) AS total,
                       count(*) FILTER (WHERE status_now = 'received') AS received,
                       count(*) FILTER (WHERE status_now = 'accepted') AS accepted,
                       count(*) FILTER (WHERE status_now = 'won') AS won,
                       count(*) FILTER (WHERE status_now = 'lost') AS lost,
                       count(*) FILTER (WHERE status_now = 'declined') AS declined,
                       count(*) FILTER (WHERE status_now = 'expired') AS expired,
                       count(*) FILTER (WHERE type = 'customerInquiry') AS customer_inquiry,
                       count(*) FILTER (WHERE type = 'marketingQualified') AS marketing_qualified,
                       count(*) FILTER (WHERE type = 'salesQualified') AS sales_qualified,
                       count(seconds) AS answered,
                       count(*) FILTER (WHERE received_at <= @before_24h) AS received_before_day,
                       count(*) FILTER (WHERE received_at <= @before_24h AND seconds <= 86400) AS answered_within_day,
                       count(*) FILTER (WHERE received_at <= @before_72h) AS received_before_three_days,
                       count(*) FILTER (WHERE received_at <= @before_72h AND seconds <= 259200) AS answered_within_three_days
                FROM recent
                GROUP BY period
                UNION ALL
                SELECT period, sum(total), sum(received), sum(accepted), sum(won), sum(lost), sum(declined),
                       sum(expired), sum(customer_inquiry), sum(marketing_qualified), sum(sales_qualified),
                       sum(cardinality(answer_seconds)), sum(total), sum(answered_within_day), sum(total), sum(answered_within_three_days)
                FROM days
                GROUP BY period
                UNION ALL
                SELECT period, 0, -leads, 0, 0, 0, 0, leads, 0, 0, 0, 0, 0, 0, 0, 0
                FROM past_respond_by
            )
            SELECT period,
                   sum(total)::int AS total, sum(received)::int AS received, sum(accepted)::int AS accepted, sum(won)::int AS won,
                   sum(lost)::int AS lost, sum(declined)::int AS declined, sum(expired)::int AS expired,
                   sum(customer_inquiry)::int AS customer_inquiry, sum(marketing_qualified)::int AS marketing_qualified,
                   sum(sales_qualified)::int AS sales_qualified, sum(answered)::int AS answered,
                   sum(received_before_day)::int AS received_before_day, sum(answered_within_day)::int AS answered_within_day,
                   sum(received_before_three_days)::int AS received_before_three_days,
                   sum(answered_within_three_days)::int AS answered_within_three_days
            FROM parts
            GROUP BY period
            HAVING sum(total) > 0
            """, Parameters()).ToListAsync(cancellationToken);

        // Every answer time of both windows, as the roll-up's days hold them and one array per window of the rest: sorting
        // them here costs a fraction of unnesting and sorting them twice in SQL (docs/query-plans.md).
        var answers = await db.Database.SqlQueryRaw<AnswersRow>(Ranges + """
            SELECT r.period, d.answer_seconds AS seconds
            FROM day_ranges r
            JOIN leads.partner_days d ON d.partner_id = @partner_id AND d.day >= r.from_day AND d.day < r.to_day
            UNION ALL
            SELECT r.period, array_agg(l.seconds) FILTER (WHERE l.seconds IS NOT NULL)
            FROM lead_ranges r
            CROSS JOIN LATERAL (
                SELECT leads.time_to_respond(status, received_at, accepted_at, closed_at) AS seconds
                FROM leads.leads
                WHERE partner_id = @partner_id AND received_at >= r.from_at AND received_at < r.to_at
                OFFSET 0
            ) l
            GROUP BY r.period
            """, Parameters()).ToListAsync(cancellationToken);

        // The reasons and currencies of the leads (leads.breakdown_keys, as the trigger counts them) and of the roll-up's days.
        var breakdown = await db.Database.SqlQueryRaw<BreakdownRow>(Ranges + """
            , parts AS (
                SELECT r.period, c.kind, c.key, count(*) AS leads, sum(c.amount) AS amount_sum, count(c.amount) AS amounts
                FROM lead_ranges r
                JOIN leads.leads l ON l.partner_id = @partner_id AND l.received_at >= r.from_at AND l.received_at < r.to_at
                CROSS JOIN LATERAL leads.breakdown_keys(
                    l.status, l.decline_reason, l.outcome_lost_reason, l.deal_estimated_value_currency, l.deal_estimated_value_amount,
                    l.outcome_final_value_currency, l.outcome_final_value_amount) c
                GROUP BY 1, 2, 3
                UNION ALL
                SELECT r.period, b.kind, b.key, b.leads, b.amount_sum, b.amounts
                FROM day_ranges r
                JOIN leads.partner_day_breakdowns b ON b.partner_id = @partner_id AND b.day >= r.from_day AND b.day < r.to_day
            )
            SELECT period, kind, key, sum(leads)::int AS count,
                   CASE WHEN kind IN ('estimated', 'final') THEN round(sum(amount_sum) / nullif(sum(amounts), 0), 2) END AS average
            FROM parts
            GROUP BY period, kind, key
            """, Parameters()).ToListAsync(cancellationToken);

        return new ScorecardResponse(
            query.PartnerId,
            FormattableString.Invariant($"{query.Days}d"),
            Period(from, now, totals.SingleOrDefault(r => r.Period == Current), AnswerTimes(answers, Current), [.. breakdown.Where(r => r.Period == Current)]),
            Period(previousFrom, from, totals.SingleOrDefault(r => r.Period == Previous), AnswerTimes(answers, Previous), [.. breakdown.Where(r => r.Period == Previous)]));
    }

    /// <summary>The answer times of one window, sorted.</summary>
    private static double[] AnswerTimes(List<AnswersRow> rows, int period)
    {
        var times = rows.Where(r => r.Period == period && r.Seconds is not null).SelectMany(r => r.Seconds!).ToArray();
        Array.Sort(times);
        return times;
    }

    /// <summary>
    /// The <paramref name="fraction"/> percentile of <paramref name="sorted"/>, interpolated between the two closest ranks
    /// as PostgreSQL's percentile_cont (matching's median, CandidateSource) takes it, to the millisecond; null for none.
    /// </summary>
    private static double? Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = (int)Math.Ceiling(rank);
        return Math.Round(sorted[below] + ((sorted[above] - sorted[below]) * (rank - below)), 3);
    }

    /// <summary>
    /// A window [<paramref name="From"/>, <paramref name="To"/>) in three consecutive parts: the leads received from
    /// <paramref name="From"/> to <paramref name="DaysFromAt"/>, the roll-up's days from <paramref name="DaysFromAt"/>'s up to
    /// <paramref name="DaysToAt"/>'s (excluded), the leads received from <paramref name="DaysToAt"/> to <paramref name="To"/>.
    /// </summary>
    private sealed record WindowParts(DateTimeOffset From, DateTimeOffset DaysFromAt, DateTimeOffset DaysToAt, DateTimeOffset To)
    {
        public DateOnly DaysFrom => DateOnly.FromDateTime(DaysFromAt.UtcDateTime);

        public DateOnly DaysTo => DateOnly.FromDateTime(DaysToAt.UtcDateTime);

        /// <summary>The window's bounds as <see cref="Ranges"/> names them, after <paramref name="window"/> (current or previous).</summary>
        public NpgsqlParameter[] Parameters(string window) =>
        [
            new($"{window}_from", From), new($"{window}_days_from_at", DaysFromAt), new($"{window}_days_to_at", DaysToAt), new($"{window}_to", To),
            new($"{window}_days_from", DaysFrom), new($"{window}_days_to", DaysTo),
        ];

        /// <summary>The whole UTC days of the window that ended <see cref="RecentLeads"/> or more before <paramref name="now"/> come from the roll-up.</summary>
        public static WindowParts Of(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
        {
            var daysFrom = Min(StartOfDay(from) == from ? from : StartOfDay(from).AddDays(1), to);
            var daysTo = Max(daysFrom, Min(StartOfDay(to), StartOfDay(now - RecentLeads)));
            // Days from and to one instant that is not a midnight (a window inside one day) are the same date: no day at all.
            return new WindowParts(from, daysFrom, daysTo, to);
        }

        private static DateTimeOffset StartOfDay(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }

    private static ScorecardPeriod Period(DateTimeOffset from, DateTimeOffset to, PeriodRow? row, double[] answerTimes, List<BreakdownRow> breakdown)
    {
        row ??= PeriodRow.Empty;
        int Count(string kind, string key) => breakdown.Where(b => b.Kind == kind && b.Key == key).Sum(b => b.Count);
        var values = breakdown.Where(b => b.Kind is "estimated" or "final").Select(b => b.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(currency =>
            {
                var estimated = breakdown.SingleOrDefault(b => b.Kind == "estimated" && b.Key == currency);
                var final = breakdown.SingleOrDefault(b => b.Kind == "final" && b.Key == currency);
                return new CurrencyValues(currency, estimated?.Count ?? 0, estimated?.Average, final?.Count ?? 0, final?.Average);
            })
            .ToList();
        var acceptedEver = row.Accepted + row.Won + row.Lost;

        return new ScorecardPeriod(
            from,
            to,
            new ScorecardLeadCounts(
                row.Total,
                new StatusCounts(row.Received, row.Accepted, row.Won, row.Lost, row.Declined, row.Expired),
                new TypeCounts(row.CustomerInquiry, row.MarketingQualified, row.SalesQualified)),
            new ScorecardResponseTimes(
                row.Answered, Percentile(answerTimes, 0.5), Percentile(answerTimes, 0.9),
                row.ReceivedBeforeDay, row.AnsweredWithinDay, row.ReceivedBeforeThreeDays, row.AnsweredWithinThreeDays),
            new ScorecardRates(
                Share(acceptedEver, row.Answered),
                Share(row.Expired, row.Answered + row.Expired),
                Share(row.Won, row.Won + row.Lost),
                Share(row.AnsweredWithinDay, row.ReceivedBeforeDay),
                Share(row.AnsweredWithinThreeDays, row.ReceivedBeforeThreeDays)),
            [.. Enum.GetValues<DeclineReason>().Select(r => new DeclineReasonCount(r, Count("decline", Names.Of(r))))],
            [.. Enum.GetValues<LostReason>().Select(r => new LostReasonCount(r, Count("lost", Names.Of(r))))],
            values);
    }

    private static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;

    private sealed record PeriodRow(
        int Period, int Total, int Received, int Accepted, int Won, int Lost, int Declined, int Expired,
        int CustomerInquiry, int MarketingQualified, int SalesQualified,
        int Answered,
        int ReceivedBeforeDay, int AnsweredWithinDay, int ReceivedBeforeThreeDays, int AnsweredWithinThreeDays)
    {
        public static readonly PeriodRow Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private sealed record AnswersRow(int Period, double[]? Seconds);

    private sealed record BreakdownRow(int Period, string Kind, string Key, int Count, decimal? Average);
}
