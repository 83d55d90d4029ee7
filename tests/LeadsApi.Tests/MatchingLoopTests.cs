using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// The loop the product promises, end to end on real PostgreSQL: two partners with the same profile start equal; one
/// answers its leads within the hour, the other lets them expire; round by round the fast one rises, ranks first, gets the
/// routed lead, and the explanation says why.
/// </summary>
public sealed class MatchingLoopTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private const int Rounds = 4;

    [Fact]
    public async Task AFastPartnerRises_AndALetItExpirePartnerSinks_AndTheExplanationSaysWhy()
    {
        var country = Profiles.UnusedCountry();
        var word = Profiles.UniqueWord();
        // Made first, so its id is the lower one: it wins the tie before either has answered anything.
        var slow = await api.NewPartnerAsync("Slow Ltd");
        var fast = await api.NewPartnerAsync("Fast Ltd");
        foreach (var partner in new[] { slow, fast })
        {
            await partner.SaveProfileAsync(Profiles.Body(country, [word, "migration"]));
        }

        var sender = await api.NewSenderAsync();
        var request = Profiles.Request(country, [word]);

        var before = await sender.Client.FindMatchesAsync(request);
        Assert.Equal([slow.PartnerId.ToString(), fast.PartnerId.ToString()], before.RankedIds());
        Assert.Equal(Score(before, slow), Score(before, fast));

        var gaps = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            // The marketplace's customers pick both partners; the fast one answers within the hour, the slow one never.
            var toFast = await sender.CreateLeadAsync(fast.PartnerId);
            await sender.CreateLeadAsync(slow.PartnerId);
            api.Clock.Advance(TimeSpan.FromMinutes(40));
            (await fast.Admin.PostAsJsonAsync($"/v1/leads/{toFast.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
            api.Clock.Advance(TimeSpan.FromDays(15));
            await api.RunExpirySweepAsync();

            var matches = await sender.Client.FindMatchesAsync(request);
            Assert.Equal([fast.PartnerId.ToString(), slow.PartnerId.ToString()], matches.RankedIds());
            gaps.Add(Score(matches, fast) - Score(matches, slow));
        }

        // Each round's answers widen the gap: the prior's pull fades as the leads add up.
        Assert.Equal(gaps.Order(), gaps);
        Assert.True(gaps[^1] > gaps[0]);

        var after = await sender.Client.FindMatchesAsync(request);
        var (fastRanked, slowRanked) = (Ranked(after, fast), Ranked(after, slow));
        // Same profile, same place: the difference is all responsiveness and outcome fit.
        foreach (var same in new[] { "profileFit", "proximity", "capacity" })
        {
            Assert.Equal(fastRanked.Component(same).GetProperty("value").GetDouble(), slowRanked.Component(same).GetProperty("value").GetDouble());
        }

        var fastWhy = fastRanked.Component("responsiveness").Str("explanation");
        var slowWhy = slowRanked.Component("responsiveness").Str("explanation");
        Assert.StartsWith($"From {Rounds} leads: median answer in 0.7 h, 100% answered within 24 h, 0% expired", fastWhy, StringComparison.Ordinal);
        Assert.StartsWith($"From {Rounds} leads:", slowWhy, StringComparison.Ordinal);
        Assert.Contains("100% expired", slowWhy, StringComparison.Ordinal);
        Assert.Contains($"accepted 100% of {Rounds}", fastRanked.Component("outcomeFit").Str("explanation"), StringComparison.Ordinal);

        // Routing now hands the next customer to the fast partner, and that partner reads why.
        var routed = await (await sender.Client.PostAsJsonAsync("/v1/leads", Routed(country, word))).ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal(fast.PartnerId.ToString(), routed.Str("partnerId"));
        var theirs = await fast.Reader.GetJsonAsync($"/v1/leads/{routed.Id()}");
        var responsiveness = theirs.GetProperty("match").GetProperty("components").EnumerateArray().Single(c => c.Str("component") == "responsiveness");
        Assert.Equal(fastWhy, responsiveness.Str("explanation"));
        (await fast.Admin.PostAsJsonAsync($"/v1/leads/{routed.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static double Score(JsonElement matches, PartnerClients partner) => Ranked(matches, partner).GetProperty("score").GetDouble();

    private static JsonElement Ranked(JsonElement matches, PartnerClients partner) =>
        matches.GetProperty("partners").EnumerateArray().Single(p => p.Str("partnerId") == partner.PartnerId.ToString());

    private static object Routed(string country, string word) => new
    {
        type = "customerInquiry",
        customer = new { companyName = "Wide World Importers", contactName = "Rui Costa", country, companySize = "small", industry = "retail" },
        need = "A migration of our mail",
        routing = new { mode = "bestMatch", keywords = new[] { word }, language = "en" },
    };
}
