using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

public sealed class FavoritesTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Star_Returns204_AndOnlyThatUserSeesTheLeadAsFavorite()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        Assert.False(await IsFavoriteAsync(partner.Admin, lead.Id()));

        var response = await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null);

        await response.ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.True(await IsFavoriteAsync(partner.Admin, lead.Id()));
        Assert.False(await IsFavoriteAsync(partner.ReferralsAdmin, lead.Id()));
        Assert.False(await IsFavoriteAsync(partner.Reader, lead.Id()));
        var adminList = await partner.Admin.GetJsonAsync("/v1/leads");
        Assert.True(adminList.GetProperty("items").EnumerateArray().Single().GetProperty("favorite").GetBoolean());
        var readerList = await partner.Reader.GetJsonAsync("/v1/leads");
        Assert.False(readerList.GetProperty("items").EnumerateArray().Single().GetProperty("favorite").GetBoolean());
    }

    [Fact]
    public async Task Star_ByAReader_IsTheReadersOwn()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        (await partner.Reader.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        Assert.True(await IsFavoriteAsync(partner.Reader, lead.Id()));
        Assert.False(await IsFavoriteAsync(partner.Admin, lead.Id()));
    }

    [Fact]
    public async Task Star_Twice_IsStillOneFavorite()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var favorites = await partner.Admin.GetJsonAsync("/v1/leads?view=favorites");
        Assert.Equal(lead.Id(), favorites.GetProperty("items").EnumerateArray().Single().Id());
        var summary = await partner.Admin.GetJsonAsync("/v1/leads/summary");
        Assert.Equal(1, summary.GetProperty("favorites").GetProperty("received").GetInt32());
        var rows = await api.WithDbAsync(db => db.Favorites.CountAsync(f => f.LeadId == Guid.Parse(lead.Id())));
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task Unstar_Returns204_AndAgain204()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await partner.Reader.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/favorite")).ShouldBeAsync(HttpStatusCode.NoContent);

        Assert.False(await IsFavoriteAsync(partner.Admin, lead.Id()));
        Assert.Empty((await partner.Admin.GetJsonAsync("/v1/leads?view=favorites")).GetProperty("items").EnumerateArray());
        Assert.True(await IsFavoriteAsync(partner.Reader, lead.Id()));

        await (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/favorite")).ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.False(await IsFavoriteAsync(partner.Admin, lead.Id()));
    }

    [Fact]
    public async Task Unstar_ALeadNeverStarred_Returns204()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        await (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/favorite")).ShouldBeAsync(HttpStatusCode.NoContent);

        Assert.False(await IsFavoriteAsync(partner.Admin, lead.Id()));
    }

    [Fact]
    public async Task Star_IsAllowedInEveryStage()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var expired = await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromDays(14));
        var received = await sender.CreateLeadAsync(partner.PartnerId);
        var accepted = await sender.AcceptedLeadAsync(partner);
        var won = await sender.AcceptedLeadAsync(partner);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{won.Id()}/won", api.WonBodyToday())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var declined = await sender.CreateLeadAsync(partner.PartnerId);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var expectedStatus = new Dictionary<string, string>
        {
            [received.Id()] = "received",
            [accepted.Id()] = "accepted",
            [won.Id()] = "won",
            [declined.Id()] = "declined",
            [expired.Id()] = "expired",
        };

        foreach (var id in expectedStatus.Keys)
        {
            await (await partner.Admin.PutAsync($"/v1/leads/{id}/favorite", null)).ShouldBeAsync(HttpStatusCode.NoContent);
        }

        var favorites = await partner.Admin.GetJsonAsync("/v1/leads?view=favorites");
        var listed = favorites.GetProperty("items").EnumerateArray().ToDictionary(l => l.Id(), l => l.Str("status"));
        Assert.Equal(expectedStatus.OrderBy(p => p.Key, StringComparer.Ordinal), listed.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.All(favorites.GetProperty("items").EnumerateArray(), l => Assert.True(l.GetProperty("favorite").GetBoolean()));
        var summary = await partner.Admin.GetJsonAsync("/v1/leads/summary");
        var favoriteCounts = summary.GetProperty("favorites");
        Assert.Equal(
            (1, 1, 3),
            (favoriteCounts.GetProperty("received").GetInt32(), favoriteCounts.GetProperty("accepted").GetInt32(), favoriteCounts.GetProperty("archived").GetInt32()));
    }

    [Fact]
    public async Task StarAndUnstar_DoNotChangeTheLeadsUpdatedAtOrTimeline_OnlyTheStarringUsersETag()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var before = await partner.Admin.GetAsync($"/v1/leads/{lead.Id()}");
        var beforeLead = await before.ShouldBeAsync(HttpStatusCode.OK);
        var timelineBefore = await TimelineAsync(partner.Admin, lead.Id());
        api.Clock.Advance(TimeSpan.FromHours(1));

        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var starred = await partner.Admin.GetAsync($"/v1/leads/{lead.Id()}");
        var starredLead = await starred.ShouldBeAsync(HttpStatusCode.OK);
        api.Clock.Advance(TimeSpan.FromHours(1));
        (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/favorite")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var unstarredLead = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");

        Assert.True(starredLead.GetProperty("favorite").GetBoolean());
        foreach (var after in new[] { starredLead, unstarredLead })
        {
            Assert.Equal(beforeLead.Str("updatedAt"), after.Str("updatedAt"));
        }

        // The ETag names the representation, which shows the star: starred, it is another; unstarred, the one before.
        Assert.NotEqual(before.Headers.ETag?.ToString(), starred.Headers.ETag?.ToString());
        Assert.Equal(beforeLead.Str("etag"), unstarredLead.Str("etag"));
        Assert.Equal(timelineBefore, await TimelineAsync(partner.Admin, lead.Id()));
        // A client holding the ETag from before the star can still change the lead.
        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/v1/leads/{lead.Id()}")
        {
            Content = JsonContent.Create(new { notes = "Still ours" }),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", beforeLead.Str("etag"));
        await (await partner.Admin.SendAsync(edit)).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Star_AnotherPartnersLead_Returns404()
    {
        var contoso = await api.NewPartnerAsync("Contoso");
        var litware = await api.NewPartnerAsync("Litware");
        var theirs = await (await api.NewSenderAsync()).CreateLeadAsync(litware.PartnerId);

        var star = await contoso.Admin.PutAsync($"/v1/leads/{theirs.Id()}/favorite", null);
        var unstar = await contoso.Admin.DeleteAsync($"/v1/leads/{theirs.Id()}/favorite");

        await star.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        await unstar.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        Assert.Empty((await contoso.Admin.GetJsonAsync("/v1/leads?view=favorites")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, await api.WithDbAsync(db => db.Favorites.CountAsync(f => f.LeadId == Guid.Parse(theirs.Id()))));
    }

    private static async Task<bool> IsFavoriteAsync(HttpClient client, string leadId) =>
        (await client.GetJsonAsync($"/v1/leads/{leadId}")).GetProperty("favorite").GetBoolean();

    private static async Task<string[]> TimelineAsync(HttpClient client, string leadId) =>
        [.. (await client.GetJsonAsync($"/v1/leads/{leadId}/timeline")).GetProperty("items").EnumerateArray().Select(e => e.GetRawText())];
}
