using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsApi.Identity;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>A partner's keys over HTTP (create, use, list, revoke) and onboarding with a platform admin's key.</summary>
public sealed class ApiKeysTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private static readonly string[] ReferralsAdmin = [Roles.ReferralsAdmin];

    [Fact]
    public async Task ACreatedKey_Works_IsListedWithItsPrefixButNeverItsSecret_AndOnceRevokedIs401()
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "  CRM sync  ", roles = ReferralsAdmin });
        var created = await response.ShouldBeAsync(HttpStatusCode.Created);
        var secret = created.Str("secret");
        Assert.Matches("^lak_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal($"/v1/api-keys/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("CRM sync", created.Str("name"));
        Assert.Equal(secret[..12], created.Str("prefix"));
        Assert.Equal(ReferralsAdmin, created.Strings("roles"));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expiresAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal("admin", created.GetProperty("createdBy").Str("name"));

        // The key acts as the referrals admin it is: it accepts leads, and it may not manage keys.
        var key = api.ClientWithKey(secret);
        await (await key.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        await (await key.GetAsync("/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var listed = await partner.Admin.GetJsonAsync("/v1/api-keys");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray(), k => k.Id() == created.Id());
        Assert.False(item.TryGetProperty("secret", out _));
        Assert.Equal(secret[..12], item.Str("prefix"));
        Assert.Equal(api.Clock.GetUtcNow(), item.Time("lastUsedAt"));
        Assert.DoesNotContain(secret[12..], listed.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey.HashOf(secret), listed.GetRawText(), StringComparison.Ordinal);
        // The partner's keys of the fixture (admin, referrals admin, reader) are listed too; nobody else's.
        Assert.Equal(4, listed.GetProperty("items").GetArrayLength());
        var read = await partner.Admin.GetJsonAsync($"/v1/api-keys/{created.Id()}");
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Equal(created.Str("createdAt"), read.Str("createdAt"));

        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{created.Id()}")).ShouldBeAsync(HttpStatusCode.NoContent);

        await (await key.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.DoesNotContain((await partner.Admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").EnumerateArray(), k => k.Id() == created.Id());
        await (await partner.Admin.GetAsync($"/v1/api-keys/{created.Id()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "api-key-not-found");
        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{created.Id()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "api-key-not-found");
        Assert.NotNull(await api.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == Guid.Parse(created.Id())).Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task OnlyAPartnersAdmins_SeeOrManageKeys_ReadersReferralsAdminsSendersAndPlatformKeysGet403()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var platform = await PlatformClientAsync();
        var adminKeyId = await KeyIdAsync(partner.AdminKey);

        foreach (var client in new[] { partner.Reader, partner.ReferralsAdmin, sender.Client, platform })
        {
            await (await client.GetAsync("/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.GetAsync($"/v1/api-keys/{adminKeyId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.PostAsJsonAsync("/v1/api-keys", new { name = "mine", roles = new[] { Roles.ReferralsReader } }))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.DeleteAsync($"/v1/api-keys/{adminKeyId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(3, (await partner.Admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{ "name": "x", "roles": ["platformAdmin"] }""", "roles[0]")]
    [InlineData("""{ "name": "x", "roles": ["referralsReader", "sender"] }""", "roles[1]")]
    [InlineData("""{ "name": "x", "roles": ["owner"] }""", "roles[0]")]
    [InlineData("""{ "name": "x", "roles": ["referralsReader", "referralsReader"] }""", "roles[1]")]
    [InlineData("""{ "name": "x", "roles": [] }""", "roles")]
    [InlineData("""{ "name": "x" }""", "roles")]
    [InlineData("""{ "name": " ", "roles": ["referralsReader"] }""", "name")]
    [InlineData("""{ "roles": ["referralsReader"], "partnerId": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11" }""", "partnerId")]
    public async Task ARoleThatIsNotAPartnerRole_OrAnotherWrongField_IsRefusedNamingIt_AndNothingIsCreated(string body, string field)
    {
        var partner = await api.NewPartnerAsync();

        var problem = await (await partner.Admin.PostJsonAsync("/v1/api-keys", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(3, (await partner.Admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void AKey_CannotGrantARoleItsCreatorLacks()
    {
        HashSet<string> referralsAdmin = [Roles.ReferralsAdmin];
        HashSet<string> partnerAdmin = [Roles.PartnerAdmin];

        Assert.False(Roles.CanGrant(referralsAdmin, Roles.PartnerAdmin));
        Assert.True(Roles.CanGrant(referralsAdmin, Roles.ReferralsReader));
        Assert.All(Roles.OfPartnerUsers, role => Assert.True(Roles.CanGrant(partnerAdmin, role)));
        Assert.False(Roles.CanGrant(partnerAdmin, Roles.PlatformAdmin));
        Assert.False(Roles.CanGrant(partnerAdmin, Roles.Sender));
        Assert.False(Roles.CanGrant(new HashSet<string> { Roles.PlatformAdmin }, Roles.PartnerAdmin));
    }

    [Fact]
    public async Task AnExpiredKey_IsRefusedWith401LikeARevokedOne_EvenWhileCached()
    {
        var partner = await api.NewPartnerAsync();
        var expiresAt = api.Clock.GetUtcNow().AddHours(1);
        var created = await (await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "Temp", roles = ReferralsAdmin, expiresAt }))
            .ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal(expiresAt, created.Time("expiresAt"));
        var key = api.ClientWithKey(created.Str("secret"));
        await (await key.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);

        api.Clock.Advance(TimeSpan.FromMinutes(59));
        await (await key.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        api.Clock.Advance(TimeSpan.FromMinutes(1));

        var problem = await (await key.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", problem.Str("detail"), StringComparison.Ordinal);
        // Still listed, so an admin sees it expired (and can revoke it).
        var listed = await partner.Admin.GetJsonAsync($"/v1/api-keys/{created.Id()}");
        Assert.Equal(expiresAt, listed.Time("expiresAt"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(731 * 24 * 60)]
    public async Task AnExpiryThatIsNotInTheFutureOrIsOverTwoYearsAhead_IsRefusedNamingExpiresAt(int minutesAhead)
    {
        var partner = await api.NewPartnerAsync();
        var expiresAt = api.Clock.GetUtcNow().AddMinutes(minutesAhead);

        await (await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "Temp", roles = ReferralsAdmin, expiresAt }))
            .ShouldFailValidationAsync("expiresAt");
        await (await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "Temp", roles = ReferralsAdmin, expiresAt = api.Clock.GetUtcNow().AddDays(729) }))
            .ShouldBeAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnotherPartnersKey_IsNotFound_AndKeepsWorking()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var theirs = await KeyIdAsync(other.AdminKey);

        await (await partner.Admin.GetAsync($"/v1/api-keys/{theirs}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "api-key-not-found");
        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{theirs}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "api-key-not-found");
        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{Guid.CreateVersion7()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "api-key-not-found");
        await (await partner.Admin.DeleteAsync("/v1/api-keys/not-a-key")).ShouldFailValidationAsync("id");

        await (await other.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.DoesNotContain((await partner.Admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").EnumerateArray(), k => k.Id() == theirs.ToString());
    }

    [Fact]
    public async Task AnAdminKey_MayRevokeItself_AndItsNextRequestIs401()
    {
        var partner = await api.NewPartnerAsync();
        var own = await KeyIdAsync(partner.AdminKey);

        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{own}")).ShouldBeAsync(HttpStatusCode.NoContent);

        await (await partner.Admin.GetAsync("/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await partner.Reader.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LastUsedAt_IsWrittenAtMostOncePerMinute_NotOnEveryRequest()
    {
        var partner = await api.NewPartnerAsync();
        var readerId = await ReaderKeyIdAsync(partner);
        var first = api.Clock.GetUtcNow();
        await (await partner.Reader.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(first, await LastUsedAsync(readerId));

        api.Clock.Advance(TimeSpan.FromSeconds(59));
        await (await partner.Reader.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(first, await LastUsedAsync(readerId));

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await partner.Reader.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(first.AddMinutes(1), await LastUsedAsync(readerId));
        Assert.Equal(first.AddMinutes(1), (await partner.Admin.GetJsonAsync($"/v1/api-keys/{readerId}")).Time("lastUsedAt"));
    }

    [Fact]
    public async Task ACreateRetriedWithTheSameIdempotencyKey_GetsTheSameKeyWithoutItsSecret_WhichIsStoredNowhere()
    {
        var partner = await api.NewPartnerAsync();
        var idempotencyKey = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(new { name = "CRM sync", roles = ReferralsAdmin });

        var first = await PostWithKeyAsync(partner.Admin, "/v1/api-keys", body, idempotencyKey);
        var created = await first.ShouldBeAsync(HttpStatusCode.Created);
        var replay = await PostWithKeyAsync(partner.Admin, "/v1/api-keys", body, idempotencyKey);
        var replayed = await replay.ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(created.Id(), replayed.Id());
        Assert.Equal(created.Str("prefix"), replayed.Str("prefix"));
        Assert.False(replayed.TryGetProperty("secret", out _));
        Assert.Equal(4, (await partner.Admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").GetArrayLength());
        var stored = await api.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.Key == idempotencyKey).Select(r => r.ResponseBody).SingleAsync());
        Assert.DoesNotContain(created.Str("secret"), Encoding.UTF8.GetString(stored!), StringComparison.Ordinal);
        // The secret of the first answer works; the replay only could not show it again.
        await (await api.ClientWithKey(created.Str("secret")).GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheList_IsPagedOldestFirst_FollowingNextLink()
    {
        var partner = await api.NewPartnerAsync();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            api.Clock.Advance(TimeSpan.FromSeconds(1));
            created.Add((await (await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = $"Key {i}", roles = ReferralsAdmin }))
                .ShouldBeAsync(HttpStatusCode.Created)).Id());
        }

        var ids = new List<string>();
        var pages = 0;
        for (var next = "/v1/api-keys?limit=2"; next is not null; pages++)
        {
            var page = await partner.Admin.GetJsonAsync(next);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(k => k.Id()));
            next = page.TryGetProperty("nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal(6, ids.Distinct().Count());
        Assert.Equal(created, ids[3..]);

        await (await partner.Admin.GetAsync("/v1/api-keys?limit=201")).ShouldFailValidationAsync("limit");
        await (await partner.Admin.GetAsync("/v1/api-keys?cursor=nope")).ShouldFailValidationAsync("cursor");
        // A cursor a client edited is opaque text like any other: its time, with an offset, pages on instead of failing.
        var edited = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"CreatedAt":"2026-11-24T11:00:00+01:00","Id":"{{ids[0]}}"}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await (await partner.Admin.GetAsync($"/v1/api-keys?cursor={edited}")).ShouldBeAsync(HttpStatusCode.OK);
        await (await partner.Admin.GetAsync("/v1/api-keys?includeRevoked=true")).ShouldFailValidationAsync("includeRevoked");
    }

    [Fact]
    public async Task APlatformKey_OnboardsAPartnerAndASender_WhoseKeysWorkTogether()
    {
        var platform = await PlatformClientAsync();

        var onboarded = await (await platform.PostAsJsonAsync("/v1/partners", new { name = "Tailspin" })).ShouldBeAsync(HttpStatusCode.Created);
        var sent = await (await platform.PostAsJsonAsync("/v1/senders", new { name = "Platform Sales", kind = "platformSales" })).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("Tailspin", onboarded.Str("name"));
        Assert.Equal([Roles.PartnerAdmin], onboarded.GetProperty("key").Strings("roles"));
        Assert.Equal([Roles.Sender], sent.GetProperty("key").Strings("roles"));
        Assert.Equal("platformSales", sent.Str("kind"));
        var partnerId = onboarded.GetProperty("partnerId").GetGuid();
        var admin = api.ClientWithKey(onboarded.GetProperty("key").Str("secret"));
        var sender = api.ClientWithKey(sent.GetProperty("key").Str("secret"));

        var lead = await (await sender.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partnerId, "salesQualified"))).ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal(sent.Str("senderId"), lead.GetProperty("sender").Str("id"));
        await (await admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);
        // The partner's first admin creates the partner's other keys.
        await (await admin.PostAsJsonAsync("/v1/api-keys", new { name = "Reader", roles = new[] { Roles.ReferralsReader } })).ShouldBeAsync(HttpStatusCode.Created);
        var keys = await admin.GetJsonAsync("/v1/api-keys");
        Assert.Equal(2, keys.GetProperty("items").GetArrayLength());
        var first = keys.GetProperty("items").EnumerateArray().Single(k => k.Id() == onboarded.GetProperty("key").Id());
        Assert.Equal("Onboarding desk", first.GetProperty("createdBy").Str("name"));
    }

    [Fact]
    public async Task APlatformKey_OnlyOnboards_AndOnlyPlatformKeysOnboard()
    {
        var platform = await PlatformClientAsync();
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        await (await platform.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await platform.GetAsync("/v1/events")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await platform.GetAsync("/v1/webhooks")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await platform.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        foreach (var client in new[] { partner.Admin, partner.Reader, sender.Client })
        {
            await (await client.PostAsJsonAsync("/v1/partners", new { name = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.PostAsJsonAsync("/v1/senders", new { name = "Mine", kind = "partner" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        await (await api.CreateClient().PostAsJsonAsync("/v1/partners", new { name = "Mine" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await platform.PostJsonAsync("/v1/senders", """{ "name": "Mine" }""")).ShouldFailValidationAsync("kind");
        await (await platform.PostJsonAsync("/v1/senders", """{ "name": "", "kind": "partner" }""")).ShouldFailValidationAsync("name");
        await (await platform.PostJsonAsync("/v1/partners", """{ "name": "Mine", "roles": [] }""")).ShouldFailValidationAsync("roles");
    }

    [Fact]
    public async Task AnOnboardingRetriedWithTheSameIdempotencyKey_GetsTheSamePartner_WithoutTheKeysSecret()
    {
        var platform = await PlatformClientAsync();
        var idempotencyKey = Guid.NewGuid().ToString();
        const string body = """{ "name": "Wide World Importers" }""";

        var first = await (await PostWithKeyAsync(platform, "/v1/partners", body, idempotencyKey)).ShouldBeAsync(HttpStatusCode.Created);
        var replay = await PostWithKeyAsync(platform, "/v1/partners", body, idempotencyKey);
        var replayed = await replay.ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Str("partnerId"), replayed.Str("partnerId"));
        Assert.Equal(first.GetProperty("key").Id(), replayed.GetProperty("key").Id());
        Assert.True(first.GetProperty("key").TryGetProperty("secret", out _));
        Assert.False(replayed.GetProperty("key").TryGetProperty("secret", out _));
        var partnerId = first.GetProperty("partnerId").GetGuid();
        Assert.Equal(1, await api.WithDbAsync(db => db.Partners.CountAsync(p => p.Name == "Wide World Importers" && p.Id == partnerId)));
        Assert.Equal(1, await api.WithDbAsync(db => db.Partners.CountAsync(p => p.Name == "Wide World Importers")));
    }

    private async Task<HttpClient> PlatformClientAsync()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync("Onboarding desk", CancellationToken.None);
        return api.ClientWithKey(key.ApiKey);
    }

    private Task<Guid> KeyIdAsync(string secret)
    {
        var hash = ApiKey.HashOf(secret);
        return api.WithDbAsync(db => db.ApiKeys.Where(k => k.Hash == hash).Select(k => k.Id).SingleAsync());
    }

    /// <summary>The fixture keeps no reader's secret, only its client; its key is the partner's one referralsReader key.</summary>
    private static async Task<Guid> ReaderKeyIdAsync(PartnerClients partner)
    {
        var listed = await partner.Admin.GetJsonAsync("/v1/api-keys");
        return Guid.Parse(listed.GetProperty("items").EnumerateArray().Single(k => k.Strings("roles").SequenceEqual([Roles.ReferralsReader])).Id());
    }

    private Task<DateTimeOffset?> LastUsedAsync(Guid keyId) =>
        api.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.LastUsedAt).SingleAsync());

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string path, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }
}
