using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>
/// POST /v1/leads with routing, on real PostgreSQL: the lead goes to the partner that ranks first and carries its match;
/// the partner sees why it got the lead and nothing of the others; a decline (but not a duplicate) or an expiry hands the
/// request on to the next partner (RerouteWorker), linked both ways, until maxHops or no partner is left. Each test works
/// in a country of its own (<see cref="Profiles.UnusedCountry"/>).
/// </summary>
public sealed class RoutingTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task RoutedCreate_HandsTheLeadToTheBestMatch_AndThePartnerSeesWhy_WithoutTheOthers()
    {
        var country = Profiles.UnusedCountry();
        var best = await api.NewPartnerAsync("Contoso");
        var second = await api.NewPartnerAsync("Northwind Secret Name");
        await best.SaveProfileAsync(Profiles.Body(country, ["payroll", "hr software"]));
        await second.SaveProfileAsync(Profiles.Body(country, ["payroll"], industries: ["healthcare"]));
        var sender = await api.NewSenderAsync();

        var created = await (await sender.Client.PostAsJsonAsync("/v1/leads", Routed(country, ["payroll", "hr software"]))).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal(best.PartnerId.ToString(), created.Str("partnerId"));
        Assert.Equal("bestMatch", created.GetProperty("routing").Str("mode"));
        Assert.Equal(0, created.GetProperty("routing").GetProperty("hop").GetInt32());
        Assert.Equal(1, created.GetProperty("match").GetProperty("rank").GetInt32());
        Assert.Equal(2, created.GetProperty("match").GetProperty("candidates").GetInt32());
        var read = await best.Reader.GetAsync($"/v1/leads/{created.Id()}");
        var lead = await read.ShouldBeAsync(HttpStatusCode.OK);
        var match = lead.GetProperty("match");
        Assert.Equal(created.GetProperty("match").GetProperty("score").GetDouble(), match.GetProperty("score").GetDouble());
        Assert.Equal(5, match.GetProperty("components").GetArrayLength());
        Assert.Contains("Ranked 1 of the 2 partners", match.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        // The other partner is nowhere in what the receiving partner reads.
        Assert.DoesNotContain("Northwind", lead.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(second.PartnerId.ToString(), lead.GetRawText(), StringComparison.Ordinal);
        Assert.False(lead.TryGetProperty("nextLeadId", out _));
        // The other partner cannot see the lead at all.
        (await second.Admin.GetAsync($"/v1/leads/{created.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RoutedCreate_WithNoPartnerThatCanTakeIt_Is422_AndCreatesNothing()
    {
        var country = Profiles.UnusedCountry();
        var paused = await api.NewPartnerAsync("Paused");
        await paused.SaveProfileAsync(Profiles.Body(country, ["tax"], pause: new { until = api.Clock.GetUtcNow().AddDays(2) }));
        var sender = await api.NewSenderAsync();

        var refused = await (await sender.Client.PostAsJsonAsync("/v1/leads", Routed(country, ["tax"], externalId: "nobody-1")))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "no-matching-partner");

        Assert.Contains("excluded", refused.Str("detail"), StringComparison.Ordinal);
        var sent = await sender.Client.GetJsonAsync("/v1/leads?limit=200");
        Assert.DoesNotContain(sent.GetProperty("items").EnumerateArray(), l => l.GetProperty("externalId").GetString() == "nobody-1");
    }

    [Fact]
    public async Task RoutedCreate_RetriedConcurrentlyWithOneExternalId_CreatesOneLead()
    {
        var country = Profiles.UnusedCountry();
        for (var i = 0; i < 3; i++)
        {
            await (await api.NewPartnerAsync($"Partner {i}")).SaveProfileAsync(Profiles.Body(country, ["audit"]));
        }

        var sender = await api.NewSenderAsync();
        var body = Routed(country, ["audit"], externalId: $"retry-{Guid.NewGuid():N}");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sender.Client.PostAsJsonAsync("/v1/leads", body)));

        var leads = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(leads.Select(l => l.Id()).Distinct());
    }

    [Theory]
    [InlineData("""{"partnerId":"0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11","routing":{"mode":"bestMatch"}}""", "partnerId")]
    [InlineData("""{"routing":{}}""", "routing.mode")]
    [InlineData("""{"routing":{"mode":"nearest"}}""", "routing.mode")]
    [InlineData("""{"routing":{"mode":"bestMatch","maxHops":2}}""", "routing.maxHops")]
    [InlineData("""{"routing":{"mode":"bestMatch","reroute":true,"maxHops":11}}""", "routing.maxHops")]
    [InlineData("""{"routing":{"mode":"bestMatch","keywords":[""]}}""", "routing.keywords[0]")]
    [InlineData("""{"routing":{"mode":"bestMatch","coordinates":{"latitude":0,"longitude":181}}}""", "routing.coordinates.longitude")]
    [InlineData("""{"routing":{"mode":"bestMatch","surprise":true}}""", "routing.surprise")]
    public async Task RoutedCreate_WithABadRouting_Is400NamingTheField(string routing, string field)
    {
        var sender = await api.NewSenderAsync();
        var lead = JsonSerializer.SerializeToNode(Api.NewLeadBody(Guid.Empty), JsonSerializerOptions.Web)!.AsObject();
        lead.Remove("partnerId");
        foreach (var (name, value) in JsonNodeOf(routing).ToList())
        {
            lead[name] = value?.DeepClone();
        }

        await (await sender.Client.PostJsonAsync("/v1/leads", lead.ToJsonString())).ShouldFailValidationAsync(field);
    }

    [Fact]
    public async Task RoutedCreate_WithoutTheCustomersCountry_Is400()
    {
        var sender = await api.NewSenderAsync();
        var lead = JsonSerializer.SerializeToNode(Routed("PT", ["x"]), JsonSerializerOptions.Web)!.AsObject();
        lead["customer"]!.AsObject().Remove("country");

        await (await sender.Client.PostJsonAsync("/v1/leads", lead.ToJsonString())).ShouldFailValidationAsync("customer.country");
    }

    [Fact]
    public async Task Decline_HandsTheRequestOnToTheNextPartner_LinkedBothWays()
    {
        var (setup, first, next, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true);
        Assert.Equal(first.PartnerId.ToString(), lead.Str("partnerId"));

        (await first.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var declined = await AfterRerouteAsync(sender, lead);
        var nextId = declined.Str("nextLeadId");
        var handedOn = await sender.Client.GetJsonAsync($"/v1/leads/{nextId}");
        Assert.Equal(next.PartnerId.ToString(), handedOn.Str("partnerId"));
        Assert.Equal(lead.Id(), handedOn.Str("previousLeadId"));
        Assert.Equal("received", handedOn.Str("status"));
        Assert.Equal(1, handedOn.GetProperty("routing").GetProperty("hop").GetInt32());
        Assert.Equal(lead.GetProperty("customer").GetRawText(), handedOn.GetProperty("customer").GetRawText());
        Assert.Equal(lead.Str("need"), handedOn.Str("need"));
        Assert.Equal(lead.Str("externalId"), handedOn.Str("externalId"));
        // The next partner sees why: its own rank among those left, and that the request came on from another partner.
        var theirs = await next.Reader.GetJsonAsync($"/v1/leads/{nextId}");
        Assert.Contains("Handed on", theirs.GetProperty("match").GetProperty("reasons")[1].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(first.PartnerId.ToString(), theirs.GetRawText(), StringComparison.Ordinal);
        // The first partner's own timeline stays its own; the sender's shows where the request went.
        var partnerTimeline = await first.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline");
        Assert.DoesNotContain(partnerTimeline.GetProperty("items").EnumerateArray(), e => e.Str("kind") == "rerouted");
        var senderTimeline = await sender.Client.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline");
        var rerouted = senderTimeline.GetProperty("items").EnumerateArray().Single(e => e.Str("kind") == "rerouted");
        Assert.Equal(nextId, rerouted.GetProperty("changes")[0].Str("after"));
        // Nothing is handed on twice.
        Assert.Equal(nextId, (await AfterRerouteAsync(sender, lead)).Str("nextLeadId"));
        Assert.Single((await next.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Decline_TheSenderHearsTheReroute_ThePartnerDoesNot()
    {
        var (setup, first, _, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true);

        (await first.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await api.RunRerouteAsync();

        var senderEvents = (await sender.Client.ReadAllAsync()).Events;
        var rerouted = senderEvents.Single(e => e.Str("type") == "lead.rerouted" && e.Str("leadId") == lead.Id());
        Assert.Equal("nextLeadId", rerouted.GetProperty("data").GetProperty("changes")[0].Str("field"));
        var partnerEvents = (await first.Admin.ReadAllAsync()).Events;
        Assert.DoesNotContain(partnerEvents, e => e.Str("type") == "lead.rerouted");
        Assert.Contains(partnerEvents, e => e.Str("type") == "lead.declined" && e.Str("leadId") == lead.Id());
    }

    [Fact]
    public async Task Expiry_HandsTheRequestOnToo()
    {
        var (setup, first, next, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true);

        api.Clock.Advance(TimeSpan.FromDays(14));
        await api.RunExpirySweepAsync();

        var expired = await AfterRerouteAsync(sender, lead);
        Assert.Equal("expired", expired.Str("status"));
        var handedOn = await next.Reader.GetJsonAsync($"/v1/leads/{expired.Str("nextLeadId")}");
        Assert.Equal("received", handedOn.Str("status"));
        Assert.Equal(api.Clock.GetUtcNow().AddDays(14), handedOn.Time("respondBy"), TimeSpan.FromSeconds(1));
        Assert.NotEqual(first.PartnerId.ToString(), handedOn.Str("partnerId"));
    }

    [Fact]
    public async Task ADuplicateDecline_DoesNotHandTheRequestOn()
    {
        var (setup, first, _, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true);

        (await first.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", new { reason = "duplicate" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var declined = await AfterRerouteAsync(sender, lead);
        Assert.Equal(JsonValueKind.Null, declined.GetProperty("nextLeadId").ValueKind);
    }

    [Fact]
    public async Task WithoutReroute_ADeclineEndsThere()
    {
        var (setup, first, _, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: false);

        (await first.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        Assert.False(lead.GetProperty("routing").GetProperty("reroute").GetBoolean());
        Assert.Equal(JsonValueKind.Null, (await AfterRerouteAsync(sender, lead)).GetProperty("nextLeadId").ValueKind);
    }

    [Fact]
    public async Task MaxHops_EndsTheChain()
    {
        var (setup, first, next, third) = await TwoPartnersAsync(three: true);
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true, maxHops: 1);

        await DeclineAsync(first, lead);
        var second = await sender.Client.GetJsonAsync($"/v1/leads/{(await AfterRerouteAsync(sender, lead)).Str("nextLeadId")}");
        Assert.Equal(next.PartnerId.ToString(), second.Str("partnerId"));
        await DeclineAsync(next, second);

        // One hop was allowed and made: the third partner never hears of it.
        var last = await AfterRerouteAsync(sender, second);
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextLeadId").ValueKind);
        Assert.Empty((await third!.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task WhenEveryPartnerHadTheRequest_TheRoutingEnds_AndTheSenderHearsIt()
    {
        var (setup, first, next, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var lead = await CreateRoutedAsync(sender, setup, reroute: true, maxHops: 3);
        await DeclineAsync(first, lead);
        var second = await sender.Client.GetJsonAsync($"/v1/leads/{(await AfterRerouteAsync(sender, lead)).Str("nextLeadId")}");

        await DeclineAsync(next, second);

        var ended = await AfterRerouteAsync(sender, second);
        Assert.Equal("noPartnerLeft", ended.GetProperty("routing").Str("end"));
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("nextLeadId").ValueKind);
        Assert.Contains((await sender.Client.ReadAllAsync()).Events, e => e.Str("type") == "lead.routingEnded" && e.Str("leadId") == second.Id());
    }

    /// <summary>
    /// Partners in a country of their own, with words of their own: <c>First</c> fits the request best, <c>Next</c> second,
    /// <c>Third</c> (when asked for) last. The request is <see cref="CreateRoutedAsync"/>'s with the returned country.
    /// </summary>
    [Fact]
    public async Task ALeadThatCannotBeHandedOn_DoesNotHoldUpTheOthers_AndStaysDue()
    {
        var (setup, first, _, _) = await TwoPartnersAsync();
        var sender = await api.NewSenderAsync();
        var broken = await CreateRoutedAsync(sender, setup, reroute: true);
        var fine = await CreateRoutedAsync(sender, setup, reroute: true);
        // A row no request writes (its customer lost the country routing needs): handing it on throws.
        await api.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE leads.leads SET customer_country = NULL WHERE id = {Guid.Parse(broken.Id())}"));
        await DeclineAsync(first, broken);
        await DeclineAsync(first, fine);

        await api.RunRerouteAsync();

        Assert.NotEqual(JsonValueKind.Null, (await sender.Client.GetJsonAsync($"/v1/leads/{fine.Id()}")).GetProperty("nextLeadId").ValueKind);
        var stuck = await api.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == Guid.Parse(broken.Id())));
        Assert.True(stuck.IsDueForRerouting);
        await api.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE leads.leads SET routing = jsonb_set(routing, '{{reroute}}', 'false') WHERE id = {Guid.Parse(broken.Id())}"));
    }

    private async Task<(Setup Setup, PartnerClients First, PartnerClients Next, PartnerClients? Third)> TwoPartnersAsync(bool three = false)
    {
        var setup = new Setup(Profiles.UnusedCountry(), Profiles.UniqueWord(), Profiles.UniqueWord());
        var first = await api.NewPartnerAsync("Best fit");
        var next = await api.NewPartnerAsync("Next fit");
        await first.SaveProfileAsync(Profiles.Body(setup.Country, [setup.Word, setup.OtherWord]));
        await next.SaveProfileAsync(Profiles.Body(setup.Country, [setup.Word]));
        PartnerClients? third = null;
        if (three)
        {
            third = await api.NewPartnerAsync("Third fit");
            await third.SaveProfileAsync(Profiles.Body(setup.Country, [setup.Word], industries: ["healthcare"]));
        }

        return (setup, first, next, third);
    }

    private sealed record Setup(string Country, string Word, string OtherWord);

    private static async Task<JsonElement> CreateRoutedAsync(SenderClient sender, Setup setup, bool reroute, int? maxHops = null) =>
        await (await sender.Client.PostAsJsonAsync("/v1/leads", Routed(setup.Country, [setup.Word, setup.OtherWord], reroute, maxHops))).ShouldBeAsync(HttpStatusCode.Created);

    /// <summary>Hands on whatever is due in the class's database (other tests' leads too), then reads the lead again.</summary>
    private async Task<JsonElement> AfterRerouteAsync(SenderClient sender, JsonElement lead)
    {
        await api.RunRerouteAsync();
        return await sender.Client.GetJsonAsync($"/v1/leads/{lead.Id()}");
    }

    private static async Task DeclineAsync(PartnerClients partner, JsonElement lead) =>
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>A lead routed to the best match in <paramref name="country"/>, its customer of a company of its own.</summary>
    private static object Routed(string country, string[] keywords, bool reroute = false, int? maxHops = null, string? externalId = null) => new
    {
        type = "customerInquiry",
        customer = new
        {
            companyName = $"Customer {Guid.NewGuid():N}",
            contactName = "Ana Silva",
            email = $"ana@{Guid.NewGuid():N}.example",
            country,
            companySize = "small",
            industry = "retail",
        },
        need = "Help us choose and roll out a new system",
        externalId,
        routing = new { mode = "bestMatch", reroute, maxHops, keywords, language = "en" },
    };

    private static System.Text.Json.Nodes.JsonObject JsonNodeOf(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}
