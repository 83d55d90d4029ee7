using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class LeadLifecycleTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task CreateLead_AsSender_Returns201WithLocationAndReceivedLead()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var now = api.Clock.GetUtcNow();

        var response = await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId, contactRequested: true));

        var lead = await response.ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal($"/v1/leads/{lead.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("received", lead.Str("status"));
        Assert.Equal("received", lead.Str("stage"));
        // The sender's own representation: it may do nothing to the lead; the partner may accept or decline it.
        Assert.Empty(lead.Strings("allowedActions"));
        Assert.False(lead.TryGetProperty("deal", out _));
        Assert.Equal(now, lead.Time("receivedAt"));
        Assert.EndsWith("Z", lead.Str("receivedAt"), StringComparison.Ordinal);
        Assert.Equal(now.AddDays(14), lead.Time("respondBy"));
        Assert.Equal("hot", lead.GetProperty("contactRequest").Str("state"));
        Assert.Equal(now.AddHours(72), lead.GetProperty("contactRequest").Time("hotUntil"));
        Assert.Equal(sender.SenderId.ToString(), lead.GetProperty("sender").Str("id"));
        Assert.Equal("marketplace", lead.GetProperty("sender").Str("kind"));
        Assert.Equal("Fabrikam Ltd", lead.GetProperty("customer").Str("companyName"));
        Assert.Equal(response.Headers.ETag?.ToString(), lead.Str("etag"));
        Assert.Equal(7, Guid.Parse(lead.Id()).Version);
        Assert.Equal(["accept", "decline"], (await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}")).Strings("allowedActions"));
    }

    [Fact]
    public async Task CreateLead_RetriedWithSameExternalId_Returns200WithTheSameLead()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var body = Api.NewLeadBody(partner.PartnerId, externalId: "mkt-123");

        var first = await (await sender.Client.PostAsJsonAsync("/v1/leads", body)).ShouldBeAsync(HttpStatusCode.Created);
        var retry = await sender.Client.PostAsJsonAsync("/v1/leads", body);

        var again = await retry.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(first.Id(), again.Id());
        Assert.Equal($"/v1/leads/{first.Id()}", retry.Headers.Location?.OriginalString);
        var list = await partner.Admin.GetJsonAsync("/v1/leads");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Accept_ReceivedLead_Returns200WithAcceptedStatusDealAndTeam()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromHours(2));

        var response = await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody);
        var acceptedAt = lead.Time("receivedAt").AddHours(2);

        var accepted = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted.Str("status"));
        Assert.Equal(["edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"], accepted.Strings("allowedActions"));
        Assert.Equal(acceptedAt, accepted.Time("acceptedAt"));
        var deal = accepted.GetProperty("deal");
        Assert.Equal("Fabrikam mailbox move", deal.Str("dealName"));
        Assert.Equal(12000.00m, deal.GetProperty("estimatedValue").GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", deal.GetProperty("estimatedValue").Str("currency"));
        Assert.Equal("2027-01-31", deal.Str("estimatedCloseDate"));
        Assert.Equal("CMP-2026-11", deal.Str("campaignId"));
        var member = Assert.Single(accepted.GetProperty("team").EnumerateArray());
        Assert.Equal("Li Wei", member.Str("name"));
        Assert.NotEqual(lead.Str("etag"), accepted.Str("etag"));

        var reread = await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("accepted", reread.Str("status"));
        Assert.Equal(accepted.Str("etag"), reread.Str("etag"));
    }

    [Fact]
    public async Task Decline_ReceivedLead_ArchivesItAsDeclined()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var now = api.Clock.GetUtcNow();

        var declined = await (await partner.ReferralsAdmin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody))
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("declined", declined.Str("status"));
        Assert.Equal("archived", declined.Str("stage"));
        Assert.Empty(declined.Strings("allowedActions"));
        Assert.Equal("notAFit", declined.GetProperty("decline").Str("reason"));
        Assert.Equal(now, declined.Time("closedAt"));
    }

    [Fact]
    public async Task WholeLifecycle_AcceptEditTeamWon_IsRecordedOnTheTimeline()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.AcceptedLeadAsync(partner);
        var id = lead.Id();

        var edited = await (await partner.Admin.PatchJsonAsync($"/v1/leads/{id}", """{ "dealName": "Fabrikam move, phase 1", "notes": null }"""))
            .ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("Fabrikam move, phase 1", edited.GetProperty("deal").Str("dealName"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, edited.GetProperty("deal").GetProperty("notes").ValueKind);
        Assert.Equal("CRM-991", edited.GetProperty("deal").Str("crmId"));

        var memberResponse = await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/team", new { name = "Sam Shaw", email = "sam@contoso.example" });
        var member = await memberResponse.ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal("Sam Shaw", member.Str("name"));
        Assert.Equal(2, (await partner.Admin.GetJsonAsync($"/v1/leads/{id}")).GetProperty("team").GetArrayLength());

        (await partner.Admin.DeleteAsync($"/v1/leads/{id}/team/{member.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(1, (await partner.Admin.GetJsonAsync($"/v1/leads/{id}")).GetProperty("team").GetArrayLength());

        var won = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/won", Api.WonBodyFor(lead))).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("won", won.Str("status"));
        Assert.Equal("archived", won.Str("stage"));
        Assert.Equal(11500.00m, won.GetProperty("outcome").GetProperty("finalValue").GetProperty("amount").GetDecimal());
        Assert.Equal(lead.Str("acceptedAt")[..10], won.GetProperty("outcome").Str("closedOn"));

        var timeline = await partner.Reader.GetJsonAsync($"/v1/leads/{id}/timeline");
        var kinds = timeline.GetProperty("items").EnumerateArray().Select(e => e.Str("kind")).ToArray();
        Assert.Equal(["received", "accepted", "dealEdited", "teamMemberAdded", "teamMemberRemoved", "won"], kinds);
        var edit = timeline.GetProperty("items")[2];
        Assert.Equal("Fabrikam mailbox move", edit.GetProperty("changes").EnumerateArray().First(c => c.Str("field") == "dealName").Str("before"));
        Assert.Equal("user", edit.GetProperty("actor").Str("kind"));
        Assert.Equal("sender", timeline.GetProperty("items")[0].GetProperty("actor").Str("kind"));
    }

    [Fact]
    public async Task MarkLost_AcceptedLead_ArchivesItAsLost()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);

        var lost = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/lost", Api.LostBody)).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("lost", lost.Str("status"));
        Assert.Equal("competitor", lost.GetProperty("outcome").Str("lostReason"));
    }
}

internal static class HttpStatusCodeAssertions
{
    public static void ShouldBe(this HttpStatusCode actual, HttpStatusCode expected) => Assert.Equal(expected, actual);
}
