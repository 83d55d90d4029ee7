using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class ConditionalRequestTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task GetLead_ReturnsAnETagHeaderEqualToTheBodysEtag()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);

        var response = await partner.Reader.GetAsync($"/v1/leads/{lead.Id()}");

        var read = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal(response.Headers.ETag.ToString(), read.Str("etag"));
        // The sender's create answered with the sender's representation, and the sender reads it back with the same ETag.
        Assert.Equal(lead.Str("etag"), (await sender.Client.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag"));
    }

    [Fact]
    public async Task Accept_WithIfMatchOfTheCurrentETag_Returns200WithANewETag()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var etag = (await partner.Admin.GetAsync($"/v1/leads/{lead.Id()}")).Headers.ETag!.ToString();

        var response = await SendWithIfMatchAsync(partner.Admin, HttpMethod.Post, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, etag);

        var accepted = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted.Str("status"));
        Assert.NotEqual(etag, accepted.Str("etag"));
        Assert.Equal(response.Headers.ETag?.ToString(), accepted.Str("etag"));
        Assert.Equal(accepted.Str("etag"), (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag"));
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("addTeamMember")]
    [InlineData("removeTeamMember")]
    [InlineData("markWon")]
    [InlineData("markLost")]
    public async Task CommandOnAcceptedLead_WithIfMatchOfTheCurrentETag_Succeeds(string command)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var current = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        var response = await SendCommandAsync(partner.Admin, lead, command, current);

        Assert.True(response.IsSuccessStatusCode, $"{command}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var after = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.NotEqual(current, after.Str("etag"));
        Assert.Equal(after.Str("etag"), response.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("addTeamMember")]
    [InlineData("removeTeamMember")]
    [InlineData("markWon")]
    [InlineData("markLost")]
    public async Task CommandOnAcceptedLead_WithAStaleIfMatch_Returns412AndChangesNothing(string command)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var stale = lead.Str("etag");
        await (await partner.Admin.PatchJsonAsync($"/v1/leads/{lead.Id()}", """{ "notes": "Changed by a colleague" }""")).ShouldBeAsync(HttpStatusCode.OK);
        var before = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        var timelineBefore = (await TimelineAsync(partner.Admin, lead.Id())).Select(e => e.GetRawText());
        Assert.NotEqual(stale, before.Str("etag"));

        var response = await SendCommandAsync(partner.Admin, lead, command, stale);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal(before.Str("etag"), problem.Str("currentETag"));
        var after = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(timelineBefore, (await TimelineAsync(partner.Admin, lead.Id())).Select(e => e.GetRawText()));
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("decline")]
    public async Task CommandOnReceivedLead_WithAnIfMatchThatDoesNotMatch_Returns412AndChangesNothing(string command)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var created = await sender.CreateLeadAsync(partner.PartnerId);
        var lead = await partner.Admin.GetJsonAsync($"/v1/leads/{created.Id()}");
        // Another lead's ETag: a real version, just not this lead's.
        var other = (await sender.AcceptedLeadAsync(partner)).Str("etag");
        Assert.NotEqual(lead.Str("etag"), other);

        var response = command == "accept"
            ? await SendWithIfMatchAsync(partner.Admin, HttpMethod.Post, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, other)
            : await SendWithIfMatchAsync(partner.Admin, HttpMethod.Post, $"/v1/leads/{lead.Id()}/decline", Api.DeclineBody, other);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal(lead.Str("etag"), problem.Str("currentETag"));
        var after = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("received", after.Str("status"));
        Assert.Equal(lead.Str("etag"), after.Str("etag"));
        Assert.Equal(["received"], (await TimelineAsync(partner.Admin, lead.Id())).Select(e => e.Str("kind")));
    }

    [Fact]
    public async Task Accept_WithIfMatchStar_Returns200()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var response = await SendWithIfMatchAsync(partner.Admin, HttpMethod.Post, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, "*");

        Assert.Equal("accepted", (await response.ShouldBeAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Edit_WithIfMatchListingTheCurrentETag_Returns200()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);

        var response = await SendWithIfMatchAsync(partner.Admin, HttpMethod.Patch, $"/v1/leads/{lead.Id()}", new { notes = "Listed" }, $"\"0\", {lead.Str("etag")}");

        Assert.Equal("Listed", (await response.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("deal").Str("notes"));
    }

    [Fact]
    public async Task TwoClientsEditingFromTheSameRead_TheSecondGets412()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var read = (await partner.Admin.GetAsync($"/v1/leads/{lead.Id()}")).Headers.ETag!.ToString();

        var first = await SendWithIfMatchAsync(partner.Admin, HttpMethod.Patch, $"/v1/leads/{lead.Id()}", new { dealName = "First" }, read);
        var second = await SendWithIfMatchAsync(partner.ReferralsAdmin, HttpMethod.Patch, $"/v1/leads/{lead.Id()}", new { dealName = "Second" }, read);

        await first.ShouldBeAsync(HttpStatusCode.OK);
        await second.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal("First", (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("deal").Str("dealName"));
    }

    private static Task<HttpResponseMessage> SendCommandAsync(HttpClient client, JsonElement lead, string command, string ifMatch)
    {
        var id = lead.Id();
        return command switch
        {
            "edit" => SendWithIfMatchAsync(client, HttpMethod.Patch, $"/v1/leads/{id}", new { dealName = "Renamed" }, ifMatch),
            "addTeamMember" => SendWithIfMatchAsync(client, HttpMethod.Post, $"/v1/leads/{id}/team", new { name = "Sam Shaw" }, ifMatch),
            "removeTeamMember" => SendWithIfMatchAsync(client, HttpMethod.Delete, $"/v1/leads/{id}/team/{lead.GetProperty("team")[0].Id()}", null, ifMatch),
            "markWon" => SendWithIfMatchAsync(client, HttpMethod.Post, $"/v1/leads/{id}/won", Api.WonBodyFor(lead), ifMatch),
            "markLost" => SendWithIfMatchAsync(client, HttpMethod.Post, $"/v1/leads/{id}/lost", Api.LostBody, ifMatch),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not a command."),
        };
    }

    private static async Task<HttpResponseMessage> SendWithIfMatchAsync(HttpClient client, HttpMethod method, string path, object? body, string ifMatch)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement[]> TimelineAsync(HttpClient client, string id) =>
        [.. (await client.GetJsonAsync($"/v1/leads/{id}/timeline")).GetProperty("items").EnumerateArray()];
}
