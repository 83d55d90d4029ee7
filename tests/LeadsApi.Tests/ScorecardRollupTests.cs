using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>
/// The scorecard reads the whole days of its windows that ended at least 72 hours ago from the roll-up the leads' trigger
/// keeps (leads.partner_days, migration PartnerDays), the rest from the leads. Here a month of leads goes through the API
/// (some created and answered at the same instant, so their partner's day is written concurrently; a sweep halfway, so
/// some expired leads are written expired and later ones are only past respond-by), and every figure of every window
/// from 1 to 40 days is what the test's own record of those leads says. Then the roll-up, rebuilt from the leads, is the
/// roll-up the trigger kept.
/// </summary>
public sealed class ScorecardRollupTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private static readonly string[] Types = ["customerInquiry", "customerInquiry", "marketingQualified", "salesQualified"];
    private static readonly string[] DeclineReasons = ["notAFit", "insufficientInformation", "customerUnreachable", "duplicate", "outsideServiceArea"];
    private static readonly string[] LostReasons = ["competitor", "noBudget", "noDecision", "customerUnresponsive"];
    private static readonly string[] Currencies = ["EUR", "EUR", "USD", "GBP"];
    private static readonly string[] Statuses = ["received", "accepted", "won", "lost", "declined", "expired"];
    private static readonly int[] Windows = [1, 2, 3, 4, 5, 7, 10, 14, 20, 30, 40];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Scorecard_OfAMonthOfLeads_StatesWhatTheLeadsSay_InEveryWindow_AndTheRollUpRebuildsToItself(int seed)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var random = new Random(seed);
        var start = api.Clock.GetUtcNow().AddMinutes(1);
        var leads = Plan(random, start);
        var end = start.AddDays(32).AddMinutes(random.Next(1, 1440)).AddSeconds(30); // no lead is received on a window's edge
        var steps = leads.SelectMany(l => l.Steps()).Append((At: start.AddDays(20), Lead: (PlannedLead?)null, Kind: StepKind.Sweep))
            .Where(s => s.At < end)
            .GroupBy(s => s.At)
            .OrderBy(g => g.Key);

        foreach (var instant in steps)
        {
            api.Clock.Advance(instant.Key - api.Clock.GetUtcNow());
            await Task.WhenAll(instant.Select(s => RunAsync(s.Kind, s.Lead, partner, sender)));
        }

        api.Clock.Advance(end - api.Clock.GetUtcNow());
        var now = api.Clock.GetUtcNow();
        foreach (var days in Windows)
        {
            var card = await partner.Reader.GetJsonAsync($"/v1/partners/me/scorecard?window={days}d");
            var from = now.AddDays(-days);
            Assert.Equal(Figures(leads, from, now, now, inclusiveEnd: true), Figures(card.GetProperty("current")));
            Assert.Equal(Figures(leads, from.AddDays(-days), from, now, inclusiveEnd: false), Figures(card.GetProperty("previous")));
        }

        var kept = await RollUpAsync(partner.PartnerId);
        await api.WithDbAsync(db => db.Database.ExecuteSqlAsync($"SELECT leads.rebuild_partner_days()"));
        Assert.NotEmpty(kept);
        Assert.Equal(kept, await RollUpAsync(partner.PartnerId));
    }

    private enum StepKind
    {
        Create,
        Accept,
        Decline,
        Win,
        Lose,
        Sweep,
    }

    /// <summary>One to three leads a day for 30 days, and four at once on days 5, 12 and 19, answered at once.</summary>
    private static List<PlannedLead> Plan(Random random, DateTimeOffset start)
    {
        var leads = new List<PlannedLead>();
        for (var day = 0; day < 30; day++)
        {
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                leads.Add(PlannedLead.Draw(random, start.AddDays(day).AddMinutes(random.Next(0, 1440))));
            }

            if (day % 7 == 5)
            {
                var at = start.AddDays(day).AddMinutes(random.Next(0, 1440));
                var answeredAt = at.AddMinutes(random.Next(1, 60 * 24 * 5));
                leads.AddRange(Enumerable.Range(0, 4).Select(_ => PlannedLead.Draw(random, at, answeredAt)));
            }
        }

        return leads;
    }

    private async Task RunAsync(StepKind kind, PlannedLead? lead, PartnerClients partner, SenderClient sender)
    {
        var path = $"/v1/leads/{lead?.Id}";
        var today = api.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (kind)
        {
            case StepKind.Sweep:
                await api.RunExpirySweepAsync();
                return;
            case StepKind.Create:
                var created = await sender.CreateLeadAsync(partner.PartnerId, lead!.Type);
                lead.Id = created.Id();
                lead.RespondBy = created.Time("respondBy");
                return;
            case StepKind.Accept:
                var estimated = new { amount = lead!.Estimated!.Value.Amount, currency = lead.Estimated.Value.Currency };
                await OkAsync(partner.Admin.PostAsJsonAsync($"{path}/accept", new { dealName = "Deal", estimatedValue = estimated, estimatedCloseDate = "2027-12-31" }));
                return;
            case StepKind.Decline:
                await OkAsync(partner.Admin.PostAsJsonAsync($"{path}/decline", new { reason = lead!.DeclineReason }));
                return;
            case StepKind.Win:
                var final = new { amount = lead!.Final!.Value.Amount, currency = lead.Final.Value.Currency };
                await OkAsync(partner.Admin.PostAsJsonAsync($"{path}/won", new { finalValue = final, closedOn = today }));
                return;
            case StepKind.Lose:
                await OkAsync(partner.Admin.PostAsJsonAsync($"{path}/lost", new { reason = lead!.LostReason }));
                return;
        }
    }

    private static async Task OkAsync(Task<HttpResponseMessage> request) => (await request).StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>The partner's roll-up rows, each as one line, the arrays sorted (the trigger appends, the rebuild aggregates).</summary>
    private Task<List<string>> RollUpAsync(Guid partnerId) => api.WithDbAsync(db => db.Database.SqlQuery<string>($"""
        SELECT concat_ws(' ', day, total, received, accepted, won, lost, declined, expired, customer_inquiry, marketing_qualified,
                         sales_qualified, ARRAY(SELECT s FROM unnest(answer_seconds) s ORDER BY s)::text, answered_within_day,
                         answered_within_three_days) AS "Value"
        FROM leads.partner_days WHERE partner_id = {partnerId}
        UNION ALL
        SELECT concat_ws(' ', day, kind, key, leads, amount_sum, amounts) FROM leads.partner_day_breakdowns WHERE partner_id = {partnerId}
        ORDER BY 1
        """).ToListAsync());

    /// <summary>Every figure of one period of the scorecard, one line each.</summary>
    private static List<string> Figures(JsonElement period)
    {
        var lines = new List<string>();
        void Object(string name, JsonElement element) =>
            lines.AddRange(element.EnumerateObject().Select(p => $"{name}.{p.Name}={Number(p.Value)}"));
        lines.Add($"leads.total={period.GetProperty("leads").GetProperty("total")}");
        Object("byStatus", period.GetProperty("leads").GetProperty("byStatus"));
        Object("byType", period.GetProperty("leads").GetProperty("byType"));
        Object("timeToRespond", period.GetProperty("timeToRespond"));
        Object("rates", period.GetProperty("rates"));
        lines.AddRange(period.GetProperty("declineReasons").EnumerateArray().Select(r => $"decline.{r.Str("reason")}={r.GetProperty("count")}"));
        lines.AddRange(period.GetProperty("lostReasons").EnumerateArray().Select(r => $"lost.{r.Str("reason")}={r.GetProperty("count")}"));
        lines.AddRange(period.GetProperty("values").EnumerateArray().Select(v =>
            $"values.{v.Str("currency")}={v.GetProperty("deals")} {Number(v.GetProperty("averageEstimatedValue"))} {v.GetProperty("won")} {Number(v.GetProperty("averageFinalValue"))}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>A number as its double's shortest round-trip form (1, 0.25, 12345.5), so 12345.50 and 12345.5 read alike.</summary>
    private static string Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    /// <summary>The same figures, from the test's record of the leads received in [from, to) (or [from, to]) as of now.</summary>
    private static List<string> Figures(List<PlannedLead> all, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, bool inclusiveEnd)
    {
        var leads = all.Where(l => l.ReceivedAt >= from && (inclusiveEnd ? l.ReceivedAt <= to : l.ReceivedAt < to)).ToList();
        var status = leads.ToDictionary(l => l, l => l.StatusAt(now));
        int Count(Func<PlannedLead, bool> which) => leads.Count(which);
        var seconds = leads.Where(l => l.AnsweredAt <= now).Select(l => (l.AnsweredAt!.Value - l.ReceivedAt).TotalSeconds).Order().ToList();
        var answered = seconds.Count;
        var accepted = Count(l => status[l] is "accepted" or "won" or "lost");
        var (won, lost, expired) = (Count(l => status[l] == "won"), Count(l => status[l] == "lost"), Count(l => status[l] == "expired"));
        var before24h = Count(l => l.ReceivedAt <= now.AddHours(-24));
        var within24h = Count(l => l.ReceivedAt <= now.AddHours(-24) && l.AnsweredAt <= now && l.AnsweredAt - l.ReceivedAt <= TimeSpan.FromHours(24));
        var before72h = Count(l => l.ReceivedAt <= now.AddHours(-72));
        var within72h = Count(l => l.ReceivedAt <= now.AddHours(-72) && l.AnsweredAt <= now && l.AnsweredAt - l.ReceivedAt <= TimeSpan.FromHours(72));

        var lines = new List<string> { $"leads.total={leads.Count}" };
        lines.AddRange(Statuses.Select(s => $"byStatus.{s}={Count(l => status[l] == s)}"));
        lines.AddRange(Types.Distinct().Select(t => $"byType.{t}={Count(l => l.Type == t)}"));
        lines.AddRange([
            $"timeToRespond.answered={answered}",
            $"timeToRespond.medianSeconds={Percentile(seconds, 0.5)}",
            $"timeToRespond.p90Seconds={Percentile(seconds, 0.9)}",
            $"timeToRespond.receivedAtLeast24hAgo={before24h}",
            $"timeToRespond.answeredWithin24h={within24h}",
            $"timeToRespond.receivedAtLeast72hAgo={before72h}",
            $"timeToRespond.answeredWithin72h={within72h}",
            $"rates.acceptance={Share(accepted, answered)}",
            $"rates.expiry={Share(expired, answered + expired)}",
            $"rates.win={Share(won, won + lost)}",
            $"rates.answeredWithin24h={Share(within24h, before24h)}",
            $"rates.answeredWithin72h={Share(within72h, before72h)}",
        ]);
        lines.AddRange(DeclineReasons.Append("other").Select(r => $"decline.{r}={Count(l => status[l] == "declined" && l.DeclineReason == r)}"));
        lines.AddRange(LostReasons.Append("other").Select(r => $"lost.{r}={Count(l => status[l] == "lost" && l.LostReason == r)}"));
        var deals = leads.Where(l => status[l] is "accepted" or "won" or "lost").Select(l => l.Estimated!.Value).ToList();
        var finals = leads.Where(l => status[l] == "won").Select(l => l.Final!.Value).ToList();
        lines.AddRange(deals.Select(d => d.Currency).Concat(finals.Select(f => f.Currency)).Distinct().Select(currency =>
        {
            var estimated = deals.Where(d => d.Currency == currency).Select(d => d.Amount).ToList();
            var final = finals.Where(f => f.Currency == currency).Select(f => f.Amount).ToList();
            return $"values.{currency}={estimated.Count} {Average(estimated)} {final.Count} {Average(final)}";
        }));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>PostgreSQL's percentile_cont: linear between the two nearest ranks; the scorecard rounds to the millisecond.</summary>
    private static string Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return "null";
        }

        var rank = p * (sorted.Count - 1);
        var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
        var value = sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
        return Math.Round(value, 3).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Share(int part, int whole) =>
        whole == 0 ? "null" : ((double)part / whole).ToString("R", CultureInfo.InvariantCulture);

    private static string Average(List<decimal> amounts) => amounts.Count == 0
        ? "null"
        : ((double)Math.Round(amounts.Sum() / amounts.Count, 2, MidpointRounding.AwayFromZero)).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A lead the test sends and answers, and what it then is.</summary>
    private sealed record PlannedLead
    {
        public required DateTimeOffset ReceivedAt { get; init; }

        public required string Type { get; init; }

        /// <summary>When the partner accepts it, or declines it if <see cref="DeclineReason"/> is set; null: never (it expires).</summary>
        public DateTimeOffset? AnsweredAt { get; init; }

        public string? DeclineReason { get; init; }

        public (decimal Amount, string Currency)? Estimated { get; init; }

        /// <summary>When the accepted lead is won (if <see cref="Final"/> is set) or lost (if <see cref="LostReason"/> is).</summary>
        public DateTimeOffset? ClosedAt { get; init; }

        public string? LostReason { get; init; }

        public (decimal Amount, string Currency)? Final { get; init; }

        public string? Id { get; set; }

        public DateTimeOffset RespondBy { get; set; }

        /// <summary>A lead received at <paramref name="receivedAt"/>; with <paramref name="acceptedAt"/>, accepted then.</summary>
        public static PlannedLead Draw(Random random, DateTimeOffset receivedAt, DateTimeOffset? acceptedAt = null)
        {
            var fate = acceptedAt is null ? random.NextDouble() : 1;
            // Answered from a minute to 13 days after (always before respond-by), in minutes, log-uniform.
            var answeredAt = acceptedAt ?? receivedAt.AddMinutes(Math.Ceiling(Math.Exp(random.NextDouble() * Math.Log(60 * 24 * 13))));
            var closedAt = answeredAt.AddMinutes(random.Next(60, 60 * 24 * 10));
            var closing = random.NextDouble();
            return new PlannedLead
            {
                ReceivedAt = receivedAt,
                Type = Types[random.Next(Types.Length)],
                AnsweredAt = fate < 0.15 ? null : answeredAt,
                DeclineReason = fate is >= 0.15 and < 0.4 ? DeclineReasons[random.Next(DeclineReasons.Length)] : null,
                Estimated = (Math.Round((decimal)(1000 + (random.NextDouble() * 49000)), 2), Currencies[random.Next(Currencies.Length)]),
                ClosedAt = closing < 0.7 ? closedAt : null,
                Final = closing < 0.35 ? (Math.Round((decimal)(500 + (random.NextDouble() * 60000)), 2), Currencies[random.Next(Currencies.Length)]) : null,
                LostReason = closing is >= 0.35 and < 0.7 ? LostReasons[random.Next(LostReasons.Length)] : null,
            };
        }

        public IEnumerable<(DateTimeOffset At, PlannedLead? Lead, StepKind Kind)> Steps()
        {
            yield return (ReceivedAt, this, StepKind.Create);
            if (AnsweredAt is not { } answeredAt)
            {
                yield break;
            }

            yield return (answeredAt, this, DeclineReason is null ? StepKind.Accept : StepKind.Decline);
            if (DeclineReason is null && ClosedAt is { } closedAt)
            {
                yield return (closedAt, this, Final is null ? StepKind.Lose : StepKind.Win);
            }
        }

        /// <summary>The status every reader sees at <paramref name="now"/>, from the steps taken before it.</summary>
        public string StatusAt(DateTimeOffset now) => this switch
        {
            _ when AnsweredAt is null || AnsweredAt > now => now >= RespondBy ? "expired" : "received",
            { DeclineReason: not null } => "declined",
            _ when ClosedAt is null || ClosedAt > now => "accepted",
            { Final: not null } => "won",
            _ => "lost",
        };
    }
}
