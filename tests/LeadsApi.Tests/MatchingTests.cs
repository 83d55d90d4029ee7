using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LeadsApi.Tests;

/// <summary>
/// POST /v1/matches on real PostgreSQL: the candidates SQL finds (by country or expertise word, never a partner without a
/// profile), the ranking and its explanations, the history the scorecard's figures give, the exclusions, the tie-break,
/// the validation and who may ask. Each test works in a country of its own (<see cref="Profiles.UnusedCountry"/>).
/// </summary>
public sealed class MatchingTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Match_RanksTheBestFittingPartnerFirst_AndExplainsEveryComponent()
    {
        var country = Profiles.UnusedCountry();
        var word = Profiles.UniqueWord();
        var expert = await api.NewPartnerAsync("Contoso");
        var generalist = await api.NewPartnerAsync("Northwind");
        await expert.SaveProfileAsync(Profiles.Body(country, [$"{word} migration", "teams"]));
        await generalist.SaveProfileAsync(Profiles.Body(country, ["accounting"], industries: ["healthcare"]));
        var sender = await api.NewSenderAsync();

        var matches = await sender.Client.FindMatchesAsync(Profiles.Request(country, [word, "migration"]));

        Assert.Equal([expert.PartnerId.ToString(), generalist.PartnerId.ToString()], matches.RankedIds());
        Assert.Equal(2, matches.GetProperty("considered").GetInt32());
        Assert.Equal(2, matches.GetProperty("rankedCount").GetInt32());
        Assert.Equal(0, matches.GetProperty("excludedCount").GetInt32());
        var best = matches.GetProperty("partners")[0];
        Assert.Equal(1, best.GetProperty("rank").GetInt32());
        Assert.Equal("Contoso", best.Str("name"));
        Assert.Equal(
            ["profileFit", "proximity", "responsiveness", "outcomeFit", "capacity"],
            best.GetProperty("components").EnumerateArray().Select(c => c.Str("component")));
        // Keywords 2 of 2, industry, size and language met: a full profile fit; a location in the country, another region.
        Assert.Equal(1.0, best.Component("profileFit").GetProperty("value").GetDouble());
        Assert.Contains("2 of 2 keywords", best.Component("profileFit").Str("explanation"), StringComparison.Ordinal);
        Assert.Equal(0.4, best.Component("proximity").GetProperty("value").GetDouble());
        // No history yet: the neutral prior, not 0.
        Assert.Equal(0.5, best.Component("responsiveness").GetProperty("value").GetDouble());
        Assert.Equal(0.5, best.Component("outcomeFit").GetProperty("value").GetDouble());
        Assert.Equal(ScoreOf(best, matches.GetProperty("weights")), best.GetProperty("score").GetDouble(), 5);
        Assert.Equal(0.35, matches.GetProperty("weights").GetProperty("profileFit").GetDouble());
        Assert.True(matches.GetProperty("partners")[1].GetProperty("score").GetDouble() < best.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Match_ConsidersThePartnersOfTheCustomersCountry_NeverOnesAbroadOrWithoutAProfile()
    {
        var country = Profiles.UnusedCountry();
        var word = Profiles.UniqueWord();
        var local = await api.NewPartnerAsync("Local");
        var abroad = await api.NewPartnerAsync("Abroad expert");
        await api.NewPartnerAsync("No profile");
        await local.SaveProfileAsync(Profiles.Body(country, ["bookkeeping"]));
        await abroad.SaveProfileAsync(Profiles.Body("PT", [$"{word} consulting"]));
        var sender = await api.NewSenderAsync();

        var matches = await sender.Client.FindMatchesAsync(Profiles.Request(country, [word]));

        Assert.Equal([local.PartnerId.ToString()], matches.RankedIds());
        Assert.Equal(1, matches.GetProperty("considered").GetInt32());
    }

    [Fact]
    public async Task Match_InACountryOfManyPartners_ScoresThoseSharingTheMostWordsWithTheRequest_UpToTheCap()
    {
        var country = Profiles.UnusedCountry();
        var (first, second) = (Profiles.UniqueWord(), Profiles.UniqueWord());
        var both = await api.NewPartnerAsync("Both words");
        var one = await api.NewPartnerAsync("One word");
        var none = await api.NewPartnerAsync("No word");
        await both.SaveProfileAsync(Profiles.Body(country, [$"{first} {second}"]));
        await one.SaveProfileAsync(Profiles.Body(country, [first]));
        await none.SaveProfileAsync(Profiles.Body(country, ["bookkeeping"]));
        await using var capped = api.WithWebHostBuilder(b => b.UseSetting("Matching:MaxCandidates", "2"));
        var sender = await api.NewSenderAsync();
        using var client = capped.CreateClient();
        client.DefaultRequestHeaders.Authorization = sender.Client.DefaultRequestHeaders.Authorization;

        var matches = await client.FindMatchesAsync(Profiles.Request(country, [first, second]));

        Assert.Equal(2, matches.GetProperty("considered").GetInt32());
        Assert.Equal([both.PartnerId.ToString(), one.PartnerId.ToString()], matches.RankedIds());
        Assert.Equal(3, (await sender.Client.FindMatchesAsync(Profiles.Request(country, [first, second]))).GetProperty("considered").GetInt32());
    }

    [Fact]
    public async Task Match_AFastPartnerOutranksOneThatLetsLeadsExpire_FromTheirLeads()
    {
        var country = Profiles.UnusedCountry();
        var fast = await api.NewPartnerAsync("Fast");
        var slow = await api.NewPartnerAsync("Slow");
        await fast.SaveProfileAsync(Profiles.Body(country, ["payroll"]));
        await slow.SaveProfileAsync(Profiles.Body(country, ["payroll"]));
        var sender = await api.NewSenderAsync();
        for (var i = 0; i < 3; i++)
        {
            var lead = await sender.CreateLeadAsync(fast.PartnerId);
            await sender.CreateLeadAsync(slow.PartnerId);
            api.Clock.Advance(TimeSpan.FromMinutes(30));
            (await fast.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        api.Clock.Advance(TimeSpan.FromDays(14));
        await api.RunExpirySweepAsync();

        var matches = await sender.Client.FindMatchesAsync(Profiles.Request(country, ["payroll"]));

        Assert.Equal([fast.PartnerId.ToString(), slow.PartnerId.ToString()], matches.RankedIds());
        var fastResponsiveness = matches.GetProperty("partners")[0].Component("responsiveness");
        var slowResponsiveness = matches.GetProperty("partners")[1].Component("responsiveness");
        Assert.True(fastResponsiveness.GetProperty("value").GetDouble() > 0.5);
        Assert.True(slowResponsiveness.GetProperty("value").GetDouble() < 0.5);
        Assert.Contains("From 3 leads", fastResponsiveness.Str("explanation"), StringComparison.Ordinal);
        Assert.Contains("100% expired", slowResponsiveness.Str("explanation"), StringComparison.Ordinal);
        // Accepted 3 of 3 similar leads (customerInquiry, retail) against none of 3.
        Assert.True(matches.GetProperty("partners")[0].Component("outcomeFit").GetProperty("value").GetDouble()
            > matches.GetProperty("partners")[1].Component("outcomeFit").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Match_ListsExcludedPartnersApart_WithEveryReason()
    {
        var country = Profiles.UnusedCountry();
        var paused = await api.NewPartnerAsync("Paused");
        var full = await api.NewPartnerAsync("Full");
        var noInquiries = await api.NewPartnerAsync("Sales only");
        var declined = await api.NewPartnerAsync("Declined Fabrikam");
        var open = await api.NewPartnerAsync("Open");
        await paused.SaveProfileAsync(Profiles.Body(country, ["crm"], pause: new { until = api.Clock.GetUtcNow().AddDays(3), reason = "Holidays" }));
        await full.SaveProfileAsync(Profiles.Body(country, ["crm"], weeklyCapacity: 0));
        await noInquiries.SaveProfileAsync(Profiles.Body(country, ["crm"], leadTypes: ["salesQualified"]));
        await declined.SaveProfileAsync(Profiles.Body(country, ["crm"]));
        await open.SaveProfileAsync(Profiles.Body(country, ["crm"]));
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(declined.PartnerId);
        (await declined.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var matches = await sender.Client.FindMatchesAsync(
            Profiles.Request(country, ["crm"], customer: new { email = "rui@Fabrikam.example", companyName = "Another name" }));

        Assert.Equal([open.PartnerId.ToString()], matches.RankedIds());
        Assert.Equal(4, matches.GetProperty("excludedCount").GetInt32());
        var reasons = matches.GetProperty("excluded").EnumerateArray().ToDictionary(
            e => e.Str("partnerId"), e => e.GetProperty("reasons").EnumerateArray().Select(r => r.Str("reason")).ToArray());
        Assert.Equal(["paused"], reasons[paused.PartnerId.ToString()]);
        Assert.Equal(["atCapacity"], reasons[full.PartnerId.ToString()]);
        Assert.Equal(["leadTypeNotAccepted"], reasons[noInquiries.PartnerId.ToString()]);
        Assert.Equal(["declinedSameCustomer"], reasons[declined.PartnerId.ToString()]);
        var why = matches.GetProperty("excluded").EnumerateArray().Single(e => e.Str("partnerId") == declined.PartnerId.ToString())
            .GetProperty("reasons")[0].Str("explanation");
        Assert.Contains("email domain fabrikam.example", why, StringComparison.Ordinal);

        // A customer of another company, on a public mailbox: the decline does not count.
        var other = await sender.Client.FindMatchesAsync(
            Profiles.Request(country, ["crm"], customer: new { email = "ana@gmail.com", companyName = "Tailspin" }));
        Assert.Contains(declined.PartnerId.ToString(), other.RankedIds());
    }

    [Fact]
    public async Task Match_EqualPartners_GoToTheOneWithFewerLeadsInTheLast7Days()
    {
        var country = Profiles.UnusedCountry();
        var busy = await api.NewPartnerAsync("Busy");
        var idle = await api.NewPartnerAsync("Idle");
        await busy.SaveProfileAsync(Profiles.Body(country, ["audit"]));
        await idle.SaveProfileAsync(Profiles.Body(country, ["audit"]));
        var sender = await api.NewSenderAsync();
        // A lead not answered yet: no history for either, only the load differs.
        await sender.CreateLeadAsync(busy.PartnerId);

        var matches = await sender.Client.FindMatchesAsync(Profiles.Request(country, ["audit"]));

        var ranked = matches.GetProperty("partners").EnumerateArray().ToList();
        Assert.Equal(ranked[0].GetProperty("score").GetDouble(), ranked[1].GetProperty("score").GetDouble());
        Assert.Equal(idle.PartnerId.ToString(), ranked[0].Str("partnerId"));
        Assert.Equal(0, ranked[0].GetProperty("leadsLast7Days").GetInt32());
        Assert.Equal(1, ranked[1].GetProperty("leadsLast7Days").GetInt32());
    }

    [Fact]
    public async Task Match_AnswersTheFirstLimitPartners_AndCountsTheRest()
    {
        var country = Profiles.UnusedCountry();
        for (var i = 0; i < 4; i++)
        {
            await (await api.NewPartnerAsync($"Partner {i}")).SaveProfileAsync(Profiles.Body(country, ["tax"]));
        }

        var matches = await (await api.PlatformClientAsync()).FindMatchesAsync(Profiles.Request(country, ["tax"], limit: 3));

        Assert.Equal(3, matches.GetProperty("partners").GetArrayLength());
        Assert.Equal(4, matches.GetProperty("rankedCount").GetInt32());
        Assert.Equal([1, 2, 3], matches.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("rank").GetInt32()));
    }

    [Theory]
    [InlineData("""{"country":"PT"}""", "leadType")]
    [InlineData("""{"leadType":"customerInquiry"}""", "country")]
    [InlineData("""{"leadType":"customerInquiry","country":"XX"}""", "country")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","limit":0}""", "limit")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","limit":101}""", "limit")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","coordinates":{"latitude":91,"longitude":0}}""", "coordinates.latitude")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","language":"not a tag"}""", "language")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","keywords":[""]}""", "keywords[0]")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","customer":{"email":"nope"}}""", "customer.email")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","companySize":"huge"}""", "companySize")]
    [InlineData("""{"leadType":"customerInquiry","country":"PT","surprise":1}""", "surprise")]
    public async Task Match_WithABadRequest_Is400NamingTheField(string body, string field)
    {
        var sender = await api.NewSenderAsync();

        await (await sender.Client.PostJsonAsync("/v1/matches", body)).ShouldFailValidationAsync(field);
    }

    [Fact]
    public async Task Match_IsForSendersAndPlatformAdmins_NotForPartners()
    {
        var partner = await api.NewPartnerAsync();
        var request = Profiles.Request("PT", ["x"]);

        foreach (var client in new[] { partner.Admin, partner.Reader })
        {
            await (await client.PostAsJsonAsync("/v1/matches", request)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        (await api.CreateClient().PostAsJsonAsync("/v1/matches", request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await api.PlatformClientAsync()).PostAsJsonAsync("/v1/matches", request)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static double ScoreOf(JsonElement ranked, JsonElement weights)
    {
        var components = ranked.GetProperty("components").EnumerateArray().ToList();
        var sum = components.Sum(c => c.GetProperty("weight").GetDouble() * c.GetProperty("value").GetDouble());
        var total = weights.EnumerateObject().Sum(w => w.Value.GetDouble());
        return Math.Round(sum / total, 6, MidpointRounding.AwayFromZero);
    }
}
