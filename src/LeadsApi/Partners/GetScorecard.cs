using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Partners;

/// <summary>The scorecard of <paramref name="PartnerId"/> over the <paramref name="Days"/> days before now, and the window before that.</summary>
public sealed record GetScorecard(Guid PartnerId, int Days) : IQuery<ScorecardResponse>;

public sealed class PartnerNotFoundException(Guid partnerId) : Exception($"No partner has the id {partnerId}.");

/// <summary>
/// Two aggregate queries over the partner's leads received in both windows, which the index (partner_id, received_at)
/// with its included columns answers from the index alone (migration ScorecardIndex; docs/query-plans.md): one row of
/// counts and percentiles per window, and one row per window and reason or currency.
/// </summary>
public sealed class GetScorecardHandler(LeadsDbContext db, TimeProvider time) : IQueryHandler<GetScorecard, ScorecardResponse>
{
    private const int Current = 0;
    private const int Previous = 1;

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
        var before24h = now - TimeSpan.FromHours(24);
        var before72h = now - TimeSpan.FromHours(72);
        var partnerId = query.PartnerId;

        // The status as every reader sees it now restates LeadRules' expiry rule (received and respond_by passed), as
        // ix_leads_due_for_expiry's filter does: EF cannot compose its expression into an ordered-set aggregate. The
        // answer's time is acceptedAt, or closedAt for a declined lead (a decline closes the lead; nothing reopens it).
        // One plain aggregate per window (its range of the index, [from, to)), not one GROUP BY over both: grouping by an
        // expression sorted every row of both windows before the percentiles sorted their seconds again (docs/query-plans.md).
        var end = now.AddTicks(TimeSpan.TicksPerMicrosecond); // the current window holds a lead received at this very microsecond
        // The windows' bounds are cast: in VALUES an untyped parameter (pgbench's replay, bench/scorecard.sh) would be text.
        var totals = await db.Database.SqlQuery<PeriodRow>($"""
            SELECT w.period, a.*
            FROM (VALUES (0, {from}::timestamptz, {end}::timestamptz), (1, {previousFrom}::timestamptz, {from}::timestamptz)) AS w(period, from_at, to_at)
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS total,
                       count(*) FILTER (WHERE status_now = 'received')::int AS received,
                       count(*) FILTER (WHERE status_now = 'accepted')::int AS accepted,
                       count(*) FILTER (WHERE status_now = 'won')::int AS won,
                       count(*) FILTER (WHERE status_now = 'lost')::int AS lost,
                       count(*) FILTER (WHERE status_now = 'declined')::int AS declined,
                       count(*) FILTER (WHERE status_now = 'expired')::int AS expired,
                       count(*) FILTER (WHERE type = 'customerInquiry')::int AS customer_inquiry,
                       count(*) FILTER (WHERE type = 'marketingQualified')::int AS marketing_qualified,
                       count(*) FILTER (WHERE type = 'salesQualified')::int AS sales_qualified,
                       count(seconds)::int AS answered,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS ninetieth_seconds,
                       count(*) FILTER (WHERE received_at <= {before24h})::int AS received_before_day,
                       count(*) FILTER (WHERE received_at <= {before24h} AND seconds <= 86400)::int AS answered_within_day,
                       count(*) FILTER (WHERE received_at <= {before72h})::int AS received_before_three_days,
                       count(*) FILTER (WHERE received_at <= {before72h} AND seconds <= 259200)::int AS answered_within_three_days
                FROM (
                    SELECT CASE WHEN status = 'received' AND respond_by <= {now} THEN 'expired' ELSE status END AS status_now,
                           type, received_at,
                           date_part('epoch', COALESCE(accepted_at, CASE WHEN status = 'declined' THEN closed_at END) - received_at) AS seconds
                    FROM leads.leads
                    WHERE partner_id = {partnerId} AND received_at >= w.from_at AND received_at < w.to_at
                    OFFSET 0
                ) l
            ) a
            WHERE a.total > 0
            """).ToListAsync(cancellationToken);

        // One hash aggregate over both windows into a few hundred groups, which the four breakdowns then read (a CTE of
        // the rows themselves was written out and read four times).
        var breakdown = await db.Database.SqlQuery<BreakdownRow>($"""
            WITH g AS (
                SELECT w.period, b.*
                FROM (VALUES (0, {from}::timestamptz, {end}::timestamptz), (1, {previousFrom}::timestamptz, {from}::timestamptz)) AS w(period, from_at, to_at)
                CROSS JOIN LATERAL (
                    SELECT status, decline_reason, outcome_lost_reason,
                           deal_estimated_value_currency AS estimated_currency, outcome_final_value_currency AS final_currency,
                           count(*) AS leads,
                           sum(deal_estimated_value_amount) AS estimated_sum, count(deal_estimated_value_amount) AS estimated_amounts,
                           sum(outcome_final_value_amount) AS final_sum, count(outcome_final_value_amount) AS final_amounts
                    FROM leads.leads
                    WHERE partner_id = {partnerId} AND received_at >= w.from_at AND received_at < w.to_at
                    GROUP BY status, decline_reason, outcome_lost_reason, deal_estimated_value_currency, outcome_final_value_currency
                ) b
            )
            SELECT period, 'decline' AS kind, decline_reason AS key, sum(leads)::int AS count, NULL::numeric AS average
            FROM g WHERE status = 'declined' GROUP BY period, decline_reason
            UNION ALL
            SELECT period, 'lost', outcome_lost_reason, sum(leads)::int, NULL FROM g WHERE status = 'lost' GROUP BY period, outcome_lost_reason
            UNION ALL
            SELECT period, 'estimated', estimated_currency, sum(leads)::int, round(sum(estimated_sum) / nullif(sum(estimated_amounts), 0), 2)
            FROM g WHERE estimated_currency IS NOT NULL GROUP BY period, estimated_currency
            UNION ALL
            SELECT period, 'final', final_currency, sum(leads)::int, round(sum(final_sum) / nullif(sum(final_amounts), 0), 2)
            FROM g WHERE status = 'won' AND final_currency IS NOT NULL GROUP BY period, final_currency
            """).ToListAsync(cancellationToken);

        return new ScorecardResponse(
            partnerId,
            FormattableString.Invariant($"{query.Days}d"),
            Period(from, now, totals.SingleOrDefault(r => r.Period == Current), [.. breakdown.Where(r => r.Period == Current)]),
            Period(previousFrom, from, totals.SingleOrDefault(r => r.Period == Previous), [.. breakdown.Where(r => r.Period == Previous)]));
    }

    private static ScorecardPeriod Period(DateTimeOffset from, DateTimeOffset to, PeriodRow? row, List<BreakdownRow> breakdown)
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
                row.Answered, Seconds(row.MedianSeconds), Seconds(row.NinetiethSeconds),
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

    private static double? Seconds(double? seconds) => seconds is { } s ? Math.Round(s, 3) : null;

    private sealed record PeriodRow(
        int Period, int Total, int Received, int Accepted, int Won, int Lost, int Declined, int Expired,
        int CustomerInquiry, int MarketingQualified, int SalesQualified,
        int Answered, double? MedianSeconds, double? NinetiethSeconds,
        int ReceivedBeforeDay, int AnsweredWithinDay, int ReceivedBeforeThreeDays, int AnsweredWithinThreeDays)
    {
        public static readonly PeriodRow Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, 0, 0);
    }

    private sealed record BreakdownRow(int Period, string Kind, string Key, int Count, decimal? Average);
}
