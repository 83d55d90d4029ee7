using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>What curl users trip over, answered plainly instead of guessed around.</summary>
public sealed class StrictRequestTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task List_WithAMisspeltParameter_Returns400NamingIt()
    {
        var partner = await api.NewPartnerAsync();

        var problem = await (await partner.Admin.GetAsync("/v1/leads?stauts=won")).ShouldFailValidationAsync("stauts");

        Assert.Contains("status", problem.GetProperty("errors").GetProperty("stauts")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithAnUnencodedPlusInATime_SaysHowToEncodeIt()
    {
        var partner = await api.NewPartnerAsync();

        var problem = await (await partner.Admin.GetAsync("/v1/leads?updatedSince=2026-11-24T10:00:00+01:00")).ShouldFailValidationAsync("updatedSince");

        Assert.Contains("%2B", problem.GetProperty("errors").GetProperty("updatedSince")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await partner.Admin.GetAsync("/v1/leads?updatedSince=2026-11-24T10:00:00%2B01:00")).StatusCode);
    }

    [Fact]
    public async Task MalformedJson_SaysWhereItBreaks()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var problem = await (await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/decline", "{\n  \"reason\": notAFit\n}"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");

        Assert.Contains("line 2", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfMatch_WithAWeakETag_NeverMatches()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/leads/{lead.Id()}/decline") { Content = JsonContent.Create(Api.DeclineBody) };
        request.Headers.TryAddWithoutValidation("If-Match", "W/" + lead.Str("etag"));

        await (await partner.Admin.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");

        Assert.Equal("received", (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("status"));
    }

    [Fact]
    public async Task InvalidTransition_ReadsAsASentence()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/lost", Api.LostBody)).ShouldBeAsync(HttpStatusCode.OK);

        var problem = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/team", new { name = "Sam" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "invalid-transition");

        Assert.Equal("Cannot add a team member: the lead is lost, archived and read-only.", problem.Str("detail"));
    }

    [Fact]
    public async Task HotFilter_LeavesOutArchivedLeadsWhoseCustomerAskedForACall()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var open = await sender.CreateLeadAsync(partner.PartnerId, contactRequested: true);
        var declined = await sender.CreateLeadAsync(partner.PartnerId, contactRequested: true);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);

        var hot = await partner.Admin.GetJsonAsync("/v1/leads?hot=true");

        Assert.Equal([open.Id()], hot.GetProperty("items").EnumerateArray().Select(l => l.Id()));
        var archived = await partner.Admin.GetJsonAsync($"/v1/leads/{declined.Id()}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, archived.GetProperty("contactRequest").GetProperty("state").ValueKind);
    }
}
