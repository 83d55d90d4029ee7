using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsApi.Identity;
using LeadsApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>GET and PUT /v1/partners/me/profile and its timeline, as a partner's users and strangers see them.</summary>
public sealed class PartnerProfileTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private const string Path = "/v1/partners/me/profile";

    private static object Body(
        string[]? keywords = null, object? weeklyCapacity = null, object? pause = null, object[]? locations = null, string[]? languages = null) => new
    {
        expertiseKeywords = keywords ?? ["Microsoft 365", "Teams"],
        industries = new[] { "Retail" },
        companySizes = new[] { "small", "medium" },
        businessModels = new[] { "projectServices" },
        leadTypes = new[] { "customerInquiry" },
        languages = languages ?? ["pt-PT", "en"],
        locations = locations ?? [Lisbon()],
        weeklyCapacity,
        pause,
    };

    private static object Lisbon(object? coordinates = null, int? serviceRadiusKm = 150) => new
    {
        name = "Lisbon office",
        country = "PT",
        region = "Lisboa",
        city = "Lisbon",
        coordinates = coordinates ?? new { latitude = 38.7223m, longitude = -9.1393m },
        serviceRadiusKm,
        contact = new { name = "Li Wei", email = "li@contoso.example", phone = "+351 21 000 0001" },
    };

    [Fact]
    public async Task Get_WithoutASavedProfile_ReturnsTheEmptyProfileAtVersionZero()
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Reader.GetAsync(Path);

        var profile = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(partner.PartnerId.ToString(), profile.Str("partnerId"));
        Assert.Equal(0, profile.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("updatedAt").ValueKind);
        Assert.Empty(profile.Strings("expertiseKeywords"));
        Assert.Empty(profile.GetProperty("locations").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("weeklyCapacity").ValueKind);
        Assert.False(profile.GetProperty("paused").GetBoolean());
        Assert.Equal("\"0-0\"", response.Headers.ETag?.Tag);
        Assert.Equal(response.Headers.ETag?.Tag, profile.Str("etag"));
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsTheProfileNormalized_ToEveryUserOfThePartner()
    {
        var partner = await api.NewPartnerAsync();

        var put = await partner.Admin.PutAsJsonAsync(Path, Body(
            keywords: ["  Microsoft   365 ", "microsoft 365", "TEAMS", "Exchange Migration"], weeklyCapacity: 20, languages: ["PT-pt", "en", "pt-pt"]));

        var saved = await put.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(1, saved.GetProperty("version").GetInt32());
        Assert.Equal(["microsoft 365", "teams", "exchange migration"], saved.Strings("expertiseKeywords"));
        Assert.Equal(["retail"], saved.Strings("industries"));
        Assert.Equal(["pt-PT", "en"], saved.Strings("languages"));
        Assert.Equal("\"1-0\"", put.Headers.ETag?.Tag);
        foreach (var user in new[] { partner.Admin, partner.ReferralsAdmin, partner.Reader })
        {
            var read = await user.GetAsync(Path);
            var profile = await read.ShouldBeAsync(HttpStatusCode.OK);
            Assert.Equal(saved.GetRawText(), profile.GetRawText());
            Assert.Equal("\"1-0\"", read.Headers.ETag?.Tag);
        }

        var location = saved.GetProperty("locations").EnumerateArray().Single();
        Assert.Equal("PT", location.Str("country"));
        Assert.Equal(150, location.GetProperty("serviceRadiusKm").GetInt32());
        Assert.Equal(38.7223, location.GetProperty("coordinates").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal("li@contoso.example", location.GetProperty("contact").Str("email"));
        Assert.Equal(20, saved.GetProperty("weeklyCapacity").GetInt32());
        Assert.Equal(["small", "medium"], saved.Strings("companySizes"));
    }

    [Fact]
    public async Task Put_TheSameProfileAgain_ChangesNothing_NoVersionNoTimelineNoEvent()
    {
        var partner = await api.NewPartnerAsync();
        await (await partner.Admin.PutAsJsonAsync(Path, Body())).ShouldBeAsync(HttpStatusCode.OK);
        var (_, cursor) = await partner.Admin.ReadAllAsync();

        var again = await (await partner.Admin.PutAsJsonAsync(Path, Body(keywords: ["microsoft 365", " teams"]))).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(1, again.GetProperty("version").GetInt32());
        Assert.Single((await partner.Admin.GetJsonAsync($"{Path}/timeline")).GetProperty("items").EnumerateArray());
        Assert.Empty((await partner.Admin.ReadAllAsync(cursor)).Events);
    }

    [Fact]
    public async Task Put_ReplacesTheWholeProfile_AMemberLeftOutIsCleared()
    {
        var partner = await api.NewPartnerAsync();
        await (await partner.Admin.PutAsJsonAsync(Path, Body(weeklyCapacity: 5))).ShouldBeAsync(HttpStatusCode.OK);

        var cleared = await (await partner.Admin.SendAsync(HttpMethod.Put, Path, """{ "expertiseKeywords": ["azure"] }""")).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(["azure"], cleared.Strings("expertiseKeywords"));
        Assert.Empty(cleared.GetProperty("locations").EnumerateArray());
        Assert.Empty(cleared.Strings("languages"));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("weeklyCapacity").ValueKind);
    }

    [Fact]
    public async Task Put_WithTheCurrentIfMatch_Succeeds_AndWithAStaleOne_Returns412WithTheCurrentETagAndChangesNothing()
    {
        var partner = await api.NewPartnerAsync();
        var first = await partner.Admin.SendAsync(Put(Body(), "\"0-0\""));
        await first.ShouldBeAsync(HttpStatusCode.OK);

        var stale = await partner.Admin.SendAsync(Put(Body(keywords: ["azure"]), "\"0-0\""));

        var problem = await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal("\"1-0\"", problem.Str("currentETag"));
        var profile = await partner.Admin.GetJsonAsync(Path);
        Assert.Equal(["microsoft 365", "teams"], profile.Strings("expertiseKeywords"));
        var current = await partner.Admin.SendAsync(Put(Body(keywords: ["azure"]), first.Headers.ETag!.Tag));
        Assert.Equal(2, (await current.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Put_WithAnIfMatchOfAVersionThatDoesNotExist_Returns412()
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.SendAsync(Put(Body(), "\"7\""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal("\"0-0\"", problem.Str("currentETag"));
        Assert.Equal(0, (await partner.Admin.GetJsonAsync(Path)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Pause_HoldsUntilItsEnd_ThenReadsAsNotPaused()
    {
        var partner = await api.NewPartnerAsync();
        var until = api.Clock.GetUtcNow().AddDays(2);

        var paused = await (await partner.Admin.PutAsJsonAsync(Path, Body(pause: new { until, reason = "Summer holidays" }))).ShouldBeAsync(HttpStatusCode.OK);

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("Summer holidays", paused.GetProperty("pause").Str("reason"));
        Assert.Equal("\"1-1\"", paused.Str("etag"));
        api.Clock.Advance(TimeSpan.FromDays(3));
        var later = await partner.Admin.GetJsonAsync(Path);
        Assert.False(later.GetProperty("paused").GetBoolean());
        Assert.Equal(until, later.GetProperty("pause").Time("until"));
        Assert.Equal("\"1-0\"", later.Str("etag"));
    }

    public static TheoryData<string, string> OverLimits => new()
    {
        { "expertiseKeywords", $$"""{ "expertiseKeywords": [{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\""))}}] }""" },
        { "expertiseKeywords[1]", $$"""{ "expertiseKeywords": ["teams", "{{new string('k', 51)}}"] }""" },
        { "expertiseKeywords[0]", """{ "expertiseKeywords": ["  "] }""" },
        { "expertiseKeywords[0]", """{ "expertiseKeywords": ["a\nb"] }""" },
        { "industries", $$"""{ "industries": [{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"i{i}\""))}}] }""" },
        { "industries[0]", $$"""{ "industries": ["{{new string('i', 201)}}"] }""" },
        { "companySizes", """{ "companySizes": ["micro", "small", "medium", "large", "enterprise", "micro"] }""" },
        { "companySizes[0]", """{ "companySizes": ["huge"] }""" },
        { "businessModels[0]", """{ "businessModels": ["franchising"] }""" },
        { "leadTypes[0]", """{ "leadTypes": ["coldCall"] }""" },
        { "languages[0]", """{ "languages": ["portuguese"] }""" },
        { "languages[1]", """{ "languages": ["pt", "pt_PT"] }""" },
        { "locations", $$"""{ "locations": [{{string.Join(",", Enumerable.Range(0, 21).Select(_ => """{ "name": "x", "country": "PT" }"""))}}] }""" },
        { "locations[0].name", """{ "locations": [{ "country": "PT" }] }""" },
        { "locations[0].country", """{ "locations": [{ "name": "Lisbon" }] }""" },
        { "locations[0].country", """{ "locations": [{ "name": "Lisbon", "country": "XX" }] }""" },
        { "locations[0].region", $$"""{ "locations": [{ "name": "Lisbon", "country": "PT", "region": "{{new string('r', 101)}}" }] }""" },
        { "locations[0].city", $$"""{ "locations": [{ "name": "Lisbon", "country": "PT", "city": "{{new string('c', 101)}}" }] }""" },
        { "locations[0].coordinates.latitude", """{ "locations": [{ "name": "Lisbon", "country": "PT", "coordinates": { "latitude": 90.5, "longitude": 0 } }] }""" },
        { "locations[0].coordinates.longitude", """{ "locations": [{ "name": "Lisbon", "country": "PT", "coordinates": { "latitude": 0, "longitude": -180.1 } }] }""" },
        { "locations[0].coordinates.latitude", """{ "locations": [{ "name": "Lisbon", "country": "PT", "coordinates": { "longitude": 0 } }] }""" },
        { "locations[0].serviceRadiusKm", """{ "locations": [{ "name": "Lisbon", "country": "PT", "coordinates": { "latitude": 0, "longitude": 0 }, "serviceRadiusKm": 0 }] }""" },
        { "locations[0].coordinates", """{ "locations": [{ "name": "Lisbon", "country": "PT", "serviceRadiusKm": 10 }] }""" },
        { "locations[0].contact.email", """{ "locations": [{ "name": "Lisbon", "country": "PT", "contact": { "name": "Li Wei" } }] }""" },
        { "locations[0].contact.email", """{ "locations": [{ "name": "Lisbon", "country": "PT", "contact": { "name": "Li Wei", "email": "not an email" } }] }""" },
        { "locations[0].contact.phone", """{ "locations": [{ "name": "Lisbon", "country": "PT", "contact": { "name": "Li Wei", "email": "li@contoso.example", "phone": "12" } }] }""" },
        { "locations[0].contact.name", """{ "locations": [{ "name": "Lisbon", "country": "PT", "contact": { "email": "li@contoso.example" } }] }""" },
        { "weeklyCapacity", """{ "weeklyCapacity": -1 }""" },
        { "weeklyCapacity", """{ "weeklyCapacity": 100001 }""" },
        { "weeklyCapacity", """{ "weeklyCapacity": 1.5 }""" },
        { "pause.until", """{ "pause": { "reason": "Holidays" } }""" },
        { "pause.until", """{ "pause": { "until": "2020-01-01T00:00:00Z" } }""" },
        { "pause.until", """{ "pause": { "until": "2030-01-01T00:00:00Z" } }""" },
        { "pause.reason", $$"""{ "pause": { "until": "2026-12-01T00:00:00Z", "reason": "{{new string('r', 501)}}" } }""" },
        { "website", """{ "website": "https://contoso.example" }""" },
    };

    [Theory]
    [MemberData(nameof(OverLimits))]
    public async Task Put_BreakingALimit_Returns400NamingTheField_AndChangesNothing(string field, string json)
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.SendAsync(HttpMethod.Put, Path, json);

        await response.ShouldFailValidationAsync(field);
        Assert.Equal(0, (await partner.Admin.GetJsonAsync(Path)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Put_AtEveryLimit_IsAccepted()
    {
        var partner = await api.NewPartnerAsync();
        var body = new
        {
            expertiseKeywords = Enumerable.Range(0, 50).Select(i => $"keyword {i} {new string('k', 40)}"[..50]).ToArray(),
            languages = Enumerable.Range(0, 20).Select(i => $"en-{(char)('A' + i)}{(char)('A' + i)}").ToArray(),
            locations = Enumerable.Range(0, 20).Select(_ => Lisbon(new { latitude = -90m, longitude = 180m }, 20_000)).ToArray(),
            weeklyCapacity = 100_000,
            pause = new { until = api.Clock.GetUtcNow().AddDays(366), reason = new string('r', 500) },
        };

        var saved = await (await partner.Admin.PutAsJsonAsync(Path, body)).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(50, saved.Strings("expertiseKeywords").Length);
        Assert.Equal(20, saved.GetProperty("locations").GetArrayLength());
    }

    [Fact]
    public async Task Put_ByAReferralsAdminOrAReader_Returns403_AndChangesNothing()
    {
        var partner = await api.NewPartnerAsync();

        foreach (var user in new[] { partner.ReferralsAdmin, partner.Reader })
        {
            await (await user.PutAsJsonAsync(Path, Body())).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Equal(0, (await partner.Admin.GetJsonAsync(Path)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task SenderAndPlatformKeys_HaveNoProfile_403()
    {
        var sender = await api.NewSenderAsync();
        await using var scope = api.Services.CreateAsyncScope();
        var platform = api.ClientWithKey((await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync("Desk", CancellationToken.None)).ApiKey);

        foreach (var client in new[] { sender.Client, platform })
        {
            await (await client.GetAsync(Path)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.GetAsync($"{Path}/timeline")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.PutAsJsonAsync(Path, Body())).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task Profiles_AreEachPartnersOwn()
    {
        var contoso = await api.NewPartnerAsync();
        var northwind = await api.NewPartnerAsync("Northwind");
        await (await contoso.Admin.PutAsJsonAsync(Path, Body(keywords: ["contoso only"]))).ShouldBeAsync(HttpStatusCode.OK);

        var other = await northwind.Admin.GetJsonAsync(Path);

        Assert.Equal(northwind.PartnerId.ToString(), other.Str("partnerId"));
        Assert.Empty(other.Strings("expertiseKeywords"));
        Assert.Empty((await northwind.Admin.GetJsonAsync($"{Path}/timeline")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain((await northwind.Admin.ReadAllAsync()).Events, e => e.Str("type") == "partner.profileUpdated");
    }

    [Fact]
    public async Task Timeline_ListsEachChange_WhoWhenVersionAndTheMembersBeforeAndAfter()
    {
        var partner = await api.NewPartnerAsync();
        var firstAt = api.Clock.GetUtcNow();
        await (await partner.Admin.PutAsJsonAsync(Path, Body(weeklyCapacity: 10))).ShouldBeAsync(HttpStatusCode.OK);
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await partner.Admin.PutAsJsonAsync(Path, Body(keywords: ["Microsoft 365", "Teams", "Azure"], weeklyCapacity: 20))).ShouldBeAsync(HttpStatusCode.OK);

        var items = (await partner.Reader.GetJsonAsync($"{Path}/timeline")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal([1, 2], items.Select(i => i.GetProperty("version").GetInt32()));
        Assert.Equal(TruncatedToMicroseconds(firstAt), items[0].Time("at"));
        Assert.Equal("user", items[0].GetProperty("actor").Str("kind"));
        Assert.Equal("admin", items[0].GetProperty("actor").Str("name"));
        Assert.Contains("locations", items[0].GetProperty("changes").EnumerateArray().Select(c => c.Str("field")));
        var second = items[1].GetProperty("changes").EnumerateArray().ToDictionary(c => c.Str("field"), c => (c.GetProperty("before").GetString(), c.GetProperty("after").GetString()));
        Assert.Equal(["expertiseKeywords", "weeklyCapacity"], second.Keys);
        Assert.Equal(("""["microsoft 365","teams"]""", """["microsoft 365","teams","azure"]"""), second["expertiseKeywords"]);
        Assert.Equal(("10", "20"), second["weeklyCapacity"]);
    }

    [Fact]
    public async Task Change_EmitsPartnerProfileUpdated_InThePartnersFeed_WithTheProfileAndTheChanges()
    {
        var partner = await api.NewPartnerAsync();
        var (_, cursor) = await partner.Reader.ReadAllAsync();

        var saved = await (await partner.Admin.PutAsJsonAsync(Path, Body(weeklyCapacity: 10))).ShouldBeAsync(HttpStatusCode.OK);

        var message = Assert.Single((await partner.Reader.ReadAllAsync(cursor)).Events);
        Assert.Equal("partner.profileUpdated", message.Str("type"));
        Assert.Equal(partner.PartnerId.ToString(), message.Str("partnerId"));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("leadId").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("data").GetProperty("lead").ValueKind);
        Assert.Equal(saved.GetRawText(), message.GetProperty("data").GetProperty("profile").GetRawText());
        var changes = message.Changes();
        Assert.Equal((null, "10"), changes["weeklyCapacity"]);
        Assert.Equal(("[]", """["microsoft 365","teams"]"""), changes["expertiseKeywords"]);
    }

    [Fact]
    public async Task Put_WithoutABody_Returns400_AndAReadOnlyMember_IsRefused()
    {
        var partner = await api.NewPartnerAsync();

        await (await partner.Admin.SendAsync(HttpMethod.Put, Path, null)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
        await (await partner.Admin.SendAsync(HttpMethod.Put, Path, """{ "version": 5 }""")).ShouldFailValidationAsync("version");
    }

    private static HttpRequestMessage Put(object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static DateTimeOffset TruncatedToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));
}
