using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class SummaryTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Summary_ForAPartnerWithoutLeads_CountsZeroEverywhere()
    {
        var partner = await api.NewPartnerAsync();

        var summary = await partner.Admin.GetJsonAsync("/v1/leads/summary");

        AssertCounts(summary, "marketplace", 0, 0, 0);
        AssertCounts(summary, "qualified", 0, 0, 0);
        AssertCounts(summary, "favorites", 0, 0, 0);
    }

    [Fact]
    public async Task Summary_CountsEachViewByStage_WithExpiredLeadsAsArchived()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        // Received now, expired once the clock passes their respond-by time below.
        var expiredInquiry = await sender.CreateLeadAsync(partner.PartnerId);
        await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified");
        api.Clock.Advance(TimeSpan.FromDays(14));

        var receivedInquiry = await sender.CreateLeadAsync(partner.PartnerId);
        await sender.CreateLeadAsync(partner.PartnerId);
        await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId));
        await DeclineAsync(partner, await sender.CreateLeadAsync(partner.PartnerId));
        var wonInquiry = await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId));
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{wonInquiry.Id()}/won", api.WonBodyToday())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lostInquiry = await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId));
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lostInquiry.Id()}/lost", Api.LostBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified");
        await sender.CreateLeadAsync(partner.PartnerId, "salesQualified");
        await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "salesQualified"));
        var acceptedQualified = await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified"));
        await DeclineAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "salesQualified"));

        foreach (var starred in new[] { receivedInquiry, acceptedQualified, wonInquiry, expiredInquiry })
        {
            (await partner.Admin.PutAsync($"/v1/leads/{starred.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var summary = await partner.Admin.GetJsonAsync("/v1/leads/summary");

        AssertCounts(summary, "marketplace", received: 2, accepted: 1, archived: 4);
        AssertCounts(summary, "qualified", received: 2, accepted: 2, archived: 2);
        AssertCounts(summary, "favorites", received: 1, accepted: 1, archived: 2);
    }

    [Fact]
    public async Task Summary_CountsWhatTheListsHold()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.CreateLeadAsync(partner.PartnerId);
        await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "salesQualified"));
        await DeclineAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified"));
        var starred = await sender.CreateLeadAsync(partner.PartnerId, "marketingQualified");
        (await partner.Admin.PutAsync($"/v1/leads/{starred.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var summary = await partner.Admin.GetJsonAsync("/v1/leads/summary");

        foreach (var view in new[] { "marketplace", "qualified", "favorites" })
        {
            foreach (var stage in new[] { "received", "accepted", "archived" })
            {
                var listed = await partner.Admin.GetJsonAsync($"/v1/leads?view={view}&stage={stage}&limit=200");
                Assert.True(
                    listed.GetProperty("items").GetArrayLength() == summary.GetProperty(view).GetProperty(stage).GetInt32(),
                    $"{view}/{stage}: the list holds {listed.GetProperty("items").GetArrayLength()}, the summary says {summary.GetProperty(view).GetProperty(stage).GetInt32()}");
            }
        }
    }

    [Fact]
    public async Task Summary_NeverCountsAnotherPartnersLeads()
    {
        var contoso = await api.NewPartnerAsync("Contoso");
        var litware = await api.NewPartnerAsync("Litware");
        var sender = await api.NewSenderAsync();
        var ours = await sender.CreateLeadAsync(contoso.PartnerId);
        (await contoso.Admin.PutAsync($"/v1/leads/{ours.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        foreach (var type in new[] { "customerInquiry", "marketingQualified", "salesQualified" })
        {
            var theirs = await sender.CreateLeadAsync(litware.PartnerId, type);
            await sender.CreateLeadAsync(litware.PartnerId, type);
            await AcceptAsync(litware, await sender.CreateLeadAsync(litware.PartnerId, type));
            await DeclineAsync(litware, await sender.CreateLeadAsync(litware.PartnerId, type));
            (await litware.Admin.PutAsync($"/v1/leads/{theirs.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var summary = await contoso.Admin.GetJsonAsync("/v1/leads/summary");

        AssertCounts(summary, "marketplace", 1, 0, 0);
        AssertCounts(summary, "qualified", 0, 0, 0);
        AssertCounts(summary, "favorites", 1, 0, 0);
        var theirSummary = await litware.Admin.GetJsonAsync("/v1/leads/summary");
        AssertCounts(theirSummary, "marketplace", 2, 1, 1);
        AssertCounts(theirSummary, "qualified", 4, 2, 2);
        AssertCounts(theirSummary, "favorites", 3, 0, 0);
    }

    [Fact]
    public async Task Summary_FavoritesCountOnlyTheCallingUsersStars()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var first = await sender.CreateLeadAsync(partner.PartnerId);
        var second = await AcceptAsync(partner, await sender.CreateLeadAsync(partner.PartnerId, "salesQualified"));
        (await partner.Admin.PutAsync($"/v1/leads/{first.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await partner.Reader.PutAsync($"/v1/leads/{second.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var admins = await partner.Admin.GetJsonAsync("/v1/leads/summary");
        var readers = await partner.Reader.GetJsonAsync("/v1/leads/summary");
        var referralsAdmins = await partner.ReferralsAdmin.GetJsonAsync("/v1/leads/summary");

        AssertCounts(admins, "favorites", 1, 0, 0);
        AssertCounts(readers, "favorites", 0, 1, 0);
        AssertCounts(referralsAdmins, "favorites", 0, 0, 0);
        foreach (var summary in new[] { admins, readers, referralsAdmins })
        {
            AssertCounts(summary, "marketplace", 1, 0, 0);
            AssertCounts(summary, "qualified", 0, 1, 0);
        }
    }

    private static void AssertCounts(JsonElement summary, string view, int received, int accepted, int archived)
    {
        var counts = summary.GetProperty(view);
        var actual = (counts.GetProperty("received").GetInt32(), counts.GetProperty("accepted").GetInt32(), counts.GetProperty("archived").GetInt32());
        Assert.True((received, accepted, archived) == actual, $"{view}: expected {(received, accepted, archived)} but got {actual}");
    }

    private static async Task<JsonElement> AcceptAsync(PartnerClients partner, JsonElement lead) =>
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);

    private static async Task DeclineAsync(PartnerClients partner, JsonElement lead) =>
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
}
