using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Identity;
using LeadsApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>
/// GET /v1/partners/me/scorecard and /v1/partners/{id}/scorecard on real PostgreSQL: every figure of a known set of leads,
/// the window's edges, the previous window, an empty partner, tenancy and who may read which. Each test has its own
/// partner and answers (or lets expire and sweeps) every lead it creates.
/// </summary>
public sealed class ScorecardTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Scorecard_OfAKnownSetOfLeads_StatesEveryFigure()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var sender = await api.NewSenderAsync();

        var won = await sender.CreateLeadAsync(partner.PartnerId);
        var othersLead = await sender.CreateLeadAsync(other.PartnerId);
        api.Clock.Advance(TimeSpan.FromHours(2));
        await AcceptAsync(partner, won, 10000.00m, "EUR");
        await AcceptAsync(other, othersLead, 99999.00m, "EUR");

        var lost = await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified");
        api.Clock.Advance(TimeSpan.FromHours(30));
        await AcceptAsync(partner, lost, 5000.00m, "USD");

        var notAFit = await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromHours(1));
        await DeclineAsync(partner, notAFit, "notAFit");

        var unclear = await sender.CreateLeadAsync(partner.PartnerId, "salesQualified");
        api.Clock.Advance(TimeSpan.FromHours(50));
        await DeclineAsync(partner, unclear, "insufficientInformation");

        await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromDays(14));
        await api.RunExpirySweepAsync();

        var today = api.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{won.Id()}/won", new { finalValue = new { amount = 11500.00m, currency = "EUR" }, closedOn = today }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lost.Id()}/lost", Api.LostBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.Admin.PostAsJsonAsync($"/v1/leads/{othersLead.Id()}/lost", new { reason = "noBudget" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var card = await partner.Reader.GetJsonAsync("/v1/partners/me/scorecard?window=30d");

        Assert.Equal(partner.PartnerId.ToString(), card.Str("partnerId"));
        Assert.Equal("30d", card.Str("window"));
        var current = card.GetProperty("current");
        Assert.Equal(api.Clock.GetUtcNow(), current.Time("to"));
        Assert.Equal(api.Clock.GetUtcNow().AddDays(-30), current.Time("from"));
        var leads = current.GetProperty("leads");
        Assert.Equal(5, leads.GetProperty("total").GetInt32());
        AssertCounts(leads.GetProperty("byStatus"), ("received", 0), ("accepted", 0), ("won", 1), ("lost", 1), ("declined", 2), ("expired", 1));
        AssertCounts(leads.GetProperty("byType"), ("customerInquiry", 3), ("marketingQualified", 1), ("salesQualified", 1));

        // Answered after 2 h, 30 h, 1 h and 50 h: 3600, 7200, 108000, 180000 seconds.
        var times = current.GetProperty("timeToRespond");
        AssertCounts(times, ("answered", 4), ("receivedAtLeast24hAgo", 5), ("answeredWithin24h", 2), ("receivedAtLeast72hAgo", 5), ("answeredWithin72h", 4));
        Assert.Equal(57600, times.GetProperty("medianSeconds").GetDouble());
        Assert.Equal(158400, times.GetProperty("p90Seconds").GetDouble());

        var rates = current.GetProperty("rates");
        Assert.Equal(0.5, rates.GetProperty("acceptance").GetDouble());
        Assert.Equal(0.2, rates.GetProperty("expiry").GetDouble());
        Assert.Equal(0.5, rates.GetProperty("win").GetDouble());
        Assert.Equal(0.4, rates.GetProperty("answeredWithin24h").GetDouble());
        Assert.Equal(0.8, rates.GetProperty("answeredWithin72h").GetDouble());

        Assert.Equal(
            ["notAFit=1", "insufficientInformation=1", "customerUnreachable=0", "duplicate=0", "outsideServiceArea=0", "other=0"],
            Reasons(current.GetProperty("declineReasons")));
        Assert.Equal(["competitor=1", "noBudget=0", "noDecision=0", "customerUnresponsive=0", "other=0"], Reasons(current.GetProperty("lostReasons")));

        var values = current.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(2, values.Count);
        Assert.Equal("EUR", values[0].Str("currency"));
        Assert.Equal(1, values[0].GetProperty("deals").GetInt32());
        Assert.Equal(10000.00m, values[0].GetProperty("averageEstimatedValue").GetDecimal());
        Assert.Equal(1, values[0].GetProperty("won").GetInt32());
        Assert.Equal(11500.00m, values[0].GetProperty("averageFinalValue").GetDecimal());
        Assert.Equal("USD", values[1].Str("currency"));
        Assert.Equal(1, values[1].GetProperty("deals").GetInt32());
        Assert.Equal(5000.00m, values[1].GetProperty("averageEstimatedValue").GetDecimal());
        Assert.Equal(0, values[1].GetProperty("won").GetInt32());
        Assert.Equal(JsonValueKind.Null, values[1].GetProperty("averageFinalValue").ValueKind);

        Assert.Equal(0, card.GetProperty("previous").GetProperty("leads").GetProperty("total").GetInt32());

        // The other partner's scorecard holds its one lead alone.
        var others = await other.Admin.GetJsonAsync("/v1/partners/me/scorecard");
        Assert.Equal("90d", others.Str("window"));
        Assert.Equal(1, others.GetProperty("current").GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal(1, others.GetProperty("current").GetProperty("leads").GetProperty("byStatus").GetProperty("lost").GetInt32());
    }

    [Fact]
    public async Task Scorecard_CountsAReceivedLeadPastRespondByAsExpired_BeforeTheSweepWritesIt()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromDays(14));

        var current = (await partner.Admin.GetJsonAsync("/v1/partners/me/scorecard")).GetProperty("current");
        await api.RunExpirySweepAsync();

        Assert.Equal(1, current.GetProperty("leads").GetProperty("byStatus").GetProperty("expired").GetInt32());
        Assert.Equal(0, current.GetProperty("leads").GetProperty("byStatus").GetProperty("received").GetInt32());
        Assert.Equal(1.0, current.GetProperty("rates").GetProperty("expiry").GetDouble());
        Assert.Equal(0.0, current.GetProperty("rates").GetProperty("answeredWithin24h").GetDouble());
        Assert.Equal(JsonValueKind.Null, current.GetProperty("rates").GetProperty("acceptance").ValueKind);
    }

    [Fact]
    public async Task Scorecard_CountsALeadByReceivedAt_InTheWindowUpToItsFirstMoment_ThenInThePreviousOne()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        await DeclineAsync(partner, lead, "duplicate");
        api.Clock.Advance(TimeSpan.FromDays(1));

        var atTheEdge = await partner.Admin.GetJsonAsync("/v1/partners/me/scorecard?window=1d");
        Assert.Equal(1, atTheEdge.GetProperty("current").GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal(0, atTheEdge.GetProperty("previous").GetProperty("leads").GetProperty("total").GetInt32());

        api.Clock.Advance(TimeSpan.FromTicks(10));
        var justOutside = await partner.Admin.GetJsonAsync("/v1/partners/me/scorecard?window=1d");
        var current = justOutside.GetProperty("current");
        var previous = justOutside.GetProperty("previous");
        Assert.Equal(0, current.GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal(1, previous.GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal(1, previous.GetProperty("leads").GetProperty("byStatus").GetProperty("declined").GetInt32());
        Assert.Equal("duplicate=1", Reasons(previous.GetProperty("declineReasons"))[3]);
        Assert.Equal(current.Time("from"), previous.Time("to"));
        Assert.Equal(current.Time("from").AddDays(-1), previous.Time("from"));

        api.Clock.Advance(TimeSpan.FromDays(1));
        var gone = await partner.Admin.GetJsonAsync("/v1/partners/me/scorecard?window=1d");
        Assert.Equal(0, gone.GetProperty("previous").GetProperty("leads").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Scorecard_OfAPartnerWithoutLeads_IsZerosAndNulls()
    {
        var partner = await api.NewPartnerAsync();

        var card = await partner.ReferralsAdmin.GetJsonAsync("/v1/partners/me/scorecard?window=365d");

        foreach (var period in new[] { card.GetProperty("current"), card.GetProperty("previous") })
        {
            Assert.Equal(0, period.GetProperty("leads").GetProperty("total").GetInt32());
            Assert.All(period.GetProperty("leads").GetProperty("byStatus").EnumerateObject(), p => Assert.Equal(0, p.Value.GetInt32()));
            var times = period.GetProperty("timeToRespond");
            Assert.Equal(JsonValueKind.Null, times.GetProperty("medianSeconds").ValueKind);
            Assert.Equal(JsonValueKind.Null, times.GetProperty("p90Seconds").ValueKind);
            Assert.All(period.GetProperty("rates").EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
            Assert.All(period.GetProperty("declineReasons").EnumerateArray(), r => Assert.Equal(0, r.GetProperty("count").GetInt32()));
            Assert.Empty(period.GetProperty("values").EnumerateArray());
        }
    }

    [Theory]
    [InlineData("window=0d", "window")]
    [InlineData("window=366d", "window")]
    [InlineData("window=90", "window")]
    [InlineData("window=090d", "window")]
    [InlineData("window=-1d", "window")]
    [InlineData("window=9999999999d", "window")]
    [InlineData("window=", "window")]
    [InlineData("window=3w", "window")]
    [InlineData("days=90", "days")]
    public async Task Scorecard_WithAWindowThatIsNotOneTo365Days_Returns400NamingIt(string query, string field)
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.GetAsync($"/v1/partners/me/scorecard?{query}");

        await response.ShouldFailValidationAsync(field);
    }

    [Fact]
    public async Task PartnerScorecard_ReadByAPlatformAdmin_IsThePartnersOwn_AndAnUnknownPartnerIs404()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        await DeclineAsync(partner, lead, "notAFit");
        var platform = await PlatformClientAsync();

        var own = await partner.Admin.GetJsonAsync("/v1/partners/me/scorecard?window=7d");
        var read = await platform.GetJsonAsync($"/v1/partners/{partner.PartnerId}/scorecard?window=7d");

        Assert.Equal(own.GetRawText(), read.GetRawText());
        await (await platform.GetAsync($"/v1/partners/{Guid.NewGuid()}/scorecard")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "partner-not-found");
        await (await platform.GetAsync("/v1/partners/not-a-guid/scorecard")).ShouldFailValidationAsync("partnerId");
        await (await platform.GetAsync($"/v1/partners/{partner.PartnerId}/scorecard?window=1y")).ShouldFailValidationAsync("window");
    }

    [Fact]
    public async Task PartnerScorecard_ForAnyKeyButAPlatformAdmins_Is403_AndMyScorecardForNoPartnersKey_Is403()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var platform = await PlatformClientAsync();

        foreach (var client in new[] { partner.Admin, partner.ReferralsAdmin, partner.Reader, sender.Client })
        {
            await (await client.GetAsync($"/v1/partners/{partner.PartnerId}/scorecard")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        foreach (var client in new[] { sender.Client, platform })
        {
            await (await client.GetAsync("/v1/partners/me/scorecard")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    private static async Task AcceptAsync(PartnerClients partner, JsonElement lead, decimal amount, string currency)
    {
        var body = new { dealName = "Deal", estimatedValue = new { amount, currency }, estimatedCloseDate = "2027-06-30" };
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task DeclineAsync(PartnerClients partner, JsonElement lead, string reason) =>
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", new { reason })).StatusCode.ShouldBe(HttpStatusCode.OK);

    private static void AssertCounts(JsonElement counts, params (string Name, int Count)[] expected)
    {
        foreach (var (name, count) in expected)
        {
            Assert.True(counts.GetProperty(name).GetInt32() == count, $"{name}: expected {count}, got {counts.GetProperty(name)}");
        }
    }

    private static string[] Reasons(JsonElement list) =>
        [.. list.EnumerateArray().Select(r => $"{r.Str("reason")}={r.GetProperty("count").GetInt32()}")];

    private async Task<HttpClient> PlatformClientAsync()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync("Scorecards desk", CancellationToken.None);
        return api.ClientWithKey(key.ApiKey);
    }
}
