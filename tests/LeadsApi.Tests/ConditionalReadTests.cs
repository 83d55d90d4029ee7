using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// If-None-Match on GET /v1/leads/{id}: 304 only while the lead reads the same to the caller. The ETag covers the
/// caller's star and the state time gives the lead (respondBy, the hot window), not only the row version.
/// </summary>
public sealed class ConditionalReadTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task GetWithTheETagJustRead_Returns304WithTheETagAndNoBody()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var etag = (await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        var response = await GetAsync(partner.Reader, lead.Id(), etag);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Star_ThenGetWithTheETagReadBefore_Returns200WithFavoriteAndANewETag()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var before = await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}");

        (await partner.Reader.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var response = await GetAsync(partner.Reader, lead.Id(), before.Str("etag"));

        var starred = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.True(starred.GetProperty("favorite").GetBoolean());
        Assert.NotEqual(before.Str("etag"), starred.Str("etag"));
        Assert.Equal(starred.Str("etag"), response.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(partner.Reader, lead.Id(), starred.Str("etag"))).StatusCode);
    }

    [Fact]
    public async Task AnotherUsersStar_LeavesMyETagAsItWas()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var mine = (await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(partner.Reader, lead.Id(), mine)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(partner.Admin, lead.Id(), mine)).StatusCode);
    }

    [Fact]
    public async Task Unstar_BringsBackTheETagOfTheUnstarredLead()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var unstarred = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/favorite")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(partner.Admin, lead.Id(), unstarred)).StatusCode);
    }

    [Fact]
    public async Task AStarIsNoConflict_IfMatchWithTheETagReadBeforeTheStar_StillEdits()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var before = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");
        (await partner.Admin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/v1/leads/{lead.Id()}")
        {
            Content = new StringContent("""{ "crmId": "CRM-1" }""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", before);
        var edited = await (await partner.Admin.SendAsync(edit)).ShouldBeAsync(HttpStatusCode.OK);

        Assert.True(edited.GetProperty("favorite").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(partner.Admin, lead.Id(), before)).StatusCode);
    }

    [Fact]
    public async Task AChangeByAnotherUser_Returns200WithTheChange()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var etag = (await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var read = await (await GetAsync(partner.Reader, lead.Id(), etag)).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", read.Str("status"));
    }

    [Fact]
    public async Task TheEndOfTheHotWindow_GivesANewETag()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId, contactRequested: true);
        var hot = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("hot", hot.GetProperty("contactRequest").Str("state"));
        // Accepted, so that moving the clock past the hot window leaves no received lead for a later test's sweep.
        var accepted = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);

        api.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var response = await GetAsync(partner.Admin, lead.Id(), accepted.Str("etag"));

        var read = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("followUp", read.GetProperty("contactRequest").Str("state"));
        Assert.NotEqual(accepted.Str("etag"), read.Str("etag"));
    }

    [Fact]
    public async Task RespondByPassing_GivesANewETag_AndTheLeadReadsExpired()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var etag = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        api.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        var read = await (await GetAsync(partner.Admin, lead.Id(), etag)).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("expired", read.Str("status"));
        Assert.NotEqual(etag, read.Str("etag"));
        // The sweep writes the expiry down: a new version, and the lead still reads expired.
        await api.RunExpirySweepAsync();
        var swept = await (await GetAsync(partner.Admin, lead.Id(), read.Str("etag"))).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("expired", swept.Str("status"));
    }

    [Fact]
    public async Task TheSenderAndThePartner_GetDifferentETags_AndEachA304ForItsOwn()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var partners = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");
        var senders = (await sender.Client.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        Assert.NotEqual(partners, senders);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(sender.Client, lead.Id(), senders)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(sender.Client, lead.Id(), partners)).StatusCode);
    }

    [Theory]
    [InlineData("*", HttpStatusCode.NotModified)]
    [InlineData("\"0-0\", {0}", HttpStatusCode.NotModified)]
    [InlineData("W/{0}", HttpStatusCode.NotModified)]
    [InlineData("\"0-0\"", HttpStatusCode.OK)]
    [InlineData("not an etag", HttpStatusCode.OK)]
    [InlineData("\"", HttpStatusCode.OK)]
    public async Task IfNoneMatchForms(string header, HttpStatusCode expected)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var etag = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).Str("etag");

        var response = await GetAsync(partner.Admin, lead.Id(), string.Format(System.Globalization.CultureInfo.InvariantCulture, header, etag));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task AnotherPartnersLead_Is404_WhateverIfNoneMatchSays()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);

        await (await GetAsync(other.Admin, lead.Id(), "*")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string leadId, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/leads/{leadId}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await client.SendAsync(request);
    }
}
