using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// Who may do what: no key is a 401, a key without the role is a 403 that changes nothing, and another
/// tenant's lead does not exist (404), whatever is asked of it.
/// </summary>
public sealed class AuthorizationTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    public static TheoryData<string> Actions => ["accept", "decline", "edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"];

    public static TheoryData<string> LeadOperations =>
        ["get", "timeline", "star", "unstar", "accept", "decline", "edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"];

    [Theory]
    [MemberData(nameof(LeadOperations))]
    [InlineData("list")]
    [InlineData("summary")]
    [InlineData("create")]
    public async Task Request_WithoutAnAuthorizationHeader_Returns401WithABearerChallenge(string operation)
    {
        var leads = await LeadsAsync();

        var response = await SendAsync(api.CreateClient(), operation, leads);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await leads.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("Bearer not-a-key-we-issued")]
    [InlineData("Bearer {key}x")]
    [InlineData("Basic x")]
    [InlineData("Basic {key}")]
    [InlineData("Token {key}")]
    [InlineData("{key}")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    public async Task Request_WithAnUnknownKeyOrMalformedHeader_Returns401WithABearerChallenge(string header)
    {
        var partner = await api.NewPartnerAsync();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header.Replace("{key}", partner.AdminKey, StringComparison.Ordinal));

        var response = await client.GetAsync("/v1/leads");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Action_ByAReferralsReader_Returns403AndLeavesTheLeadUnchanged(string action)
    {
        var leads = await LeadsAsync();

        var response = await SendAsync(leads.Partner.Reader, action, leads);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await leads.ShouldBeUnchangedAsync();
    }

    [Theory]
    [MemberData(nameof(Actions))]
    [InlineData("star")]
    public async Task Action_ByTheSenderOfTheLead_Returns403AndLeavesTheLeadUnchanged(string action)
    {
        var leads = await LeadsAsync();

        var response = await SendAsync(leads.Sender.Client, action, leads);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await leads.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task ReferralsReader_ReadsTheLeadItsListSummaryAndTimeline()
    {
        var leads = await LeadsAsync();
        var reader = leads.Partner.Reader;

        var lead = await reader.GetJsonAsync($"/v1/leads/{leads.Received.Id()}");
        var list = await reader.GetJsonAsync("/v1/leads");
        var summary = await reader.GetJsonAsync("/v1/leads/summary");
        var timeline = await reader.GetJsonAsync($"/v1/leads/{leads.Accepted.Id()}/timeline");

        Assert.Equal(Api.VersionOf(leads.Received.Str("etag")), Api.VersionOf(lead.Str("etag")));
        Assert.Equal(
            new[] { leads.Received.Id(), leads.Accepted.Id() }.Order(),
            list.GetProperty("items").EnumerateArray().Select(l => l.Id()).Order());
        Assert.Equal(1, summary.GetProperty("marketplace").GetProperty("received").GetInt32());
        Assert.Equal(1, summary.GetProperty("marketplace").GetProperty("accepted").GetInt32());
        Assert.Equal(["received", "accepted"], timeline.GetProperty("items").EnumerateArray().Select(e => e.Str("kind")));
    }

    [Fact]
    public async Task ReferralsReader_StarsAndUnstarsALead_Returns204AndTheLeadShowsIt()
    {
        var leads = await LeadsAsync();
        var reader = leads.Partner.Reader;
        var path = $"/v1/leads/{leads.Received.Id()}";

        var star = await reader.PutAsync($"{path}/favorite", null);

        await star.ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.True((await reader.GetJsonAsync(path)).GetProperty("favorite").GetBoolean());

        var unstar = await reader.DeleteAsync($"{path}/favorite");

        await unstar.ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.False((await reader.GetJsonAsync(path)).GetProperty("favorite").GetBoolean());
        await leads.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("partnerAdmin")]
    [InlineData("referralsAdmin")]
    [InlineData("referralsReader")]
    public async Task CreateLead_ByAPartnerUser_Returns403AndCreatesNothing(string role)
    {
        var partner = await api.NewPartnerAsync();
        var client = role switch
        {
            "partnerAdmin" => partner.Admin,
            "referralsAdmin" => partner.ReferralsAdmin,
            _ => partner.Reader,
        };

        var response = await client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty((await partner.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(LeadOperations))]
    public async Task LeadOfAnotherPartner_Returns404LeadNotFoundAndNothingOfTheLead(string operation)
    {
        var leads = await LeadsAsync();
        var otherPartner = await api.NewPartnerAsync("Northwind");

        var response = await SendAsync(otherPartner.Admin, operation, leads);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Fabrikam", body, StringComparison.Ordinal);
        Assert.DoesNotContain(leads.Partner.PartnerId.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Headers.ETag);
        await leads.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task LeadsOfAnotherPartner_AreNotInTheListOrSummary()
    {
        await LeadsAsync();
        var otherPartner = await api.NewPartnerAsync("Northwind");

        var list = await otherPartner.Admin.GetJsonAsync("/v1/leads");
        var summary = await otherPartner.Admin.GetJsonAsync("/v1/leads/summary");

        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.All(
            summary.EnumerateObject().SelectMany(view => view.Value.EnumerateObject()),
            count => Assert.Equal(0, count.Value.GetInt32()));
    }

    [Fact]
    public async Task Sender_ReadsTheLeadsItSent()
    {
        var leads = await LeadsAsync();
        var sender = leads.Sender.Client;

        var lead = await sender.GetJsonAsync($"/v1/leads/{leads.Accepted.Id()}");
        var list = await sender.GetJsonAsync("/v1/leads");

        Assert.Equal("accepted", lead.Str("status"));
        Assert.Equal(
            new[] { leads.Received.Id(), leads.Accepted.Id() }.Order(),
            list.GetProperty("items").EnumerateArray().Select(l => l.Id()).Order());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("timeline")]
    public async Task Sender_AskingForALeadAnotherSenderSent_Returns404LeadNotFound(string operation)
    {
        var leads = await LeadsAsync();
        var otherSender = await api.NewSenderAsync("Another sender");

        var response = await SendAsync(otherSender.Client, operation, leads);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        Assert.DoesNotContain("Fabrikam", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sender_ListingLeads_DoesNotSeeThoseAnotherSenderSent()
    {
        var leads = await LeadsAsync();
        var otherSender = await api.NewSenderAsync("Another sender");
        var own = await otherSender.CreateLeadAsync(leads.Partner.PartnerId);

        var list = await otherSender.Client.GetJsonAsync("/v1/leads");

        Assert.Equal([own.Id()], list.GetProperty("items").EnumerateArray().Select(l => l.Id()));
    }

    /// <summary>
    /// One request a client can make. accept and decline go to the received lead, which allows them;
    /// the other actions go to the accepted one, so only the check under test can refuse them.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string operation, Leads leads)
    {
        var received = $"/v1/leads/{leads.Received.Id()}";
        switch (operation)
        {
            case "list": return await client.GetAsync("/v1/leads");
            case "summary": return await client.GetAsync("/v1/leads/summary");
            case "create": return await client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(leads.Partner.PartnerId));
            case "get": return await client.GetAsync(received);
            case "timeline": return await client.GetAsync($"{received}/timeline");
            case "star": return await client.PutAsync($"{received}/favorite", null);
            case "unstar": return await client.DeleteAsync($"{received}/favorite");
        }

        var lead = operation is "accept" or "decline" ? leads.Received : leads.Accepted;
        var (method, path, body) = Api.ActionRequest(operation, lead);
        return await client.SendAsync(method, path, body is null ? null : JsonSerializer.Serialize(body));
    }

    /// <summary>A partner with a received and an accepted lead, both from one sender.</summary>
    private async Task<Leads> LeadsAsync()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var received = await sender.CreateLeadAsync(partner.PartnerId);
        var accepted = await sender.AcceptedLeadAsync(partner);
        return new Leads(partner, sender, received, accepted);
    }

    private sealed record Leads(PartnerClients Partner, SenderClient Sender, JsonElement Received, JsonElement Accepted)
    {
        public async Task ShouldBeUnchangedAsync()
        {
            await Partner.Admin.ShouldBeUnchangedAsync(Received);
            await Partner.Admin.ShouldBeUnchangedAsync(Accepted);
            Assert.Equal(1, (await Partner.Admin.GetJsonAsync($"/v1/leads/{Accepted.Id()}")).GetProperty("team").GetArrayLength());
        }
    }
}
