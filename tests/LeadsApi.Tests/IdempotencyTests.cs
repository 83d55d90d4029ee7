using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>A retry waits up to ten seconds for the first request with its key: ample on a busy test machine.</summary>
public sealed class IdempotencyApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Idempotency:InFlightWait"] = "00:00:10",
    };
}

/// <summary>A retry waits at most half a second for the first request with its key.</summary>
public sealed class ShortInFlightWaitApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Idempotency:InFlightWait"] = "00:00:00.500",
    };
}

public sealed class IdempotencyInFlightTests(ShortInFlightWaitApiFactory api) : IClassFixture<ShortInFlightWaitApiFactory>
{
    [Fact]
    public async Task ARetryWhileTheFirstStillRuns_Is409IdempotencyKeyInUse_WithRetryAfter()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();
        // A first request that holds the key (its instance is still working on it): the retry waits 0.5 s, then gives up.
        await IdempotencyTests.HoldKeyAsync(api, partner, key, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody);

        var retry = await IdempotencyTests.PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);

        await retry.ShouldBeProblemAsync(HttpStatusCode.Conflict, "idempotency-key-in-use");
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await IdempotencyTests.AcceptedEntriesAsync(api, lead.Id()));

        // A lease whose instance died runs out, and the retry then runs the request.
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await IdempotencyTests.PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key)).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(1, await IdempotencyTests.AcceptedEntriesAsync(api, lead.Id()));
    }
}

public sealed class IdempotencyTests(IdempotencyApiFactory api) : IClassFixture<IdempotencyApiFactory>
{
    private const string KeyHeader = "Idempotency-Key";

    [Fact]
    public async Task AcceptRetriedWithTheSameKey_ReplaysTheFirstAnswerByteForByte_AndRunsOnce()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);
        var retry = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        Assert.Equal(1, await AcceptedEntriesAsync(api, lead.Id()));

        // Without the key, the same call is a second accept, which the lead's state refuses.
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task TenConcurrentAcceptsWithOneKey_MakeOneTransition_AndTenIdenticalAnswers()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            var response = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Equal(9, answers.Count(a => a.Item3));
        Assert.Equal(1, await AcceptedEntriesAsync(api, lead.Id()));
        var (events, _) = await partner.Admin.ReadAllAsync();
        Assert.Equal(["lead.received", "lead.accepted"], events.About(lead.Id()).Types());
    }

    [Fact]
    public async Task SameKey_WithAnotherBodyOrPath_Is422IdempotencyKeyReused_AndChangesNothing()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var other = await sender.CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();
        await (await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key)).ShouldBeAsync(HttpStatusCode.OK);

        var otherBody = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/decline", Api.DeclineBody, key);
        var otherLead = await PostAsync(partner.Admin, $"/v1/leads/{other.Id()}/accept", Api.AcceptBody, key);

        await otherBody.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await otherLead.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal("received", (await partner.Admin.GetJsonAsync($"/v1/leads/{other.Id()}")).Str("status"));
    }

    [Fact]
    public async Task ARequestThatFailedValidation_KeepsNothing_SoTheCorrectedRetryRuns()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();

        var invalid = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", new { dealName = "" }, key);
        await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(0, await RecordsAsync(partner.PartnerId));

        // The same request again runs again (nothing kept); a corrected one with the key runs too.
        await (await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", new { dealName = "" }, key))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key)).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(1, await AcceptedEntriesAsync(api, lead.Id()));
    }

    [Fact]
    public async Task OneCallersKeys_AreInvisibleToEveryOtherCaller()
    {
        var sender = await api.NewSenderAsync();
        var otherSender = await api.NewSenderAsync();
        var partner = await api.NewPartnerAsync();
        var key = Guid.NewGuid().ToString();

        var mine = await PostAsync(sender.Client, "/v1/leads", Api.NewLeadBody(partner.PartnerId), key);
        var theirs = await PostAsync(otherSender.Client, "/v1/leads", Api.NewLeadBody(partner.PartnerId), key);

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);

        // And a retry of each gets its own answer back, Location included.
        var myRetry = await PostAsync(sender.Client, "/v1/leads", Api.NewLeadBody(partner.PartnerId), key);
        Assert.Equal(HttpStatusCode.Created, myRetry.StatusCode);
        Assert.Equal(mine.Headers.Location, myRetry.Headers.Location);
        Assert.Equal(await mine.Content.ReadAsStringAsync(), await myRetry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeptAnswers_ExpireAfter24Hours_AndThePurgeDeletesThem()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(sender.Client, "/v1/leads", Api.NewLeadBody(partner.PartnerId), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(1, await RecordsAsync(sender.SenderId));

        api.Clock.Advance(TimeSpan.FromHours(24));
        Assert.True(await api.RunIdempotencyPurgeAsync() >= 1);
        Assert.Equal(0, await RecordsAsync(sender.SenderId));

        // The key is new again: the request runs (a second lead), and is kept again.
        var later = await PostAsync(sender.Client, "/v1/leads", Api.NewLeadBody(partner.PartnerId), key);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.NotEqual(first.Headers.Location, later.Headers.Location);
        Assert.Equal(1, await RecordsAsync(sender.SenderId));
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("line\u00a0one\u2028two")]
    public async Task AnInvalidKey_Is400NamingTheHeader_AndChangesNothing(string key)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var response = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(KeyHeader, out _));
        Assert.Equal(0, await AcceptedEntriesAsync(api, lead.Id()));
    }

    [Fact]
    public async Task AKeyLongerThan255Characters_Is400()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var response = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, new string('k', 256));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains("255", problem.GetProperty("errors").GetProperty(KeyHeader)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuotedKey_AsTheDraftWritesIt_NamesTheSameKeyAsTheBareOne()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var key = Guid.NewGuid().ToString();

        await (await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, $"\"{key}\"")).ShouldBeAsync(HttpStatusCode.OK);
        var retry = await PostAsync(partner.Admin, $"/v1/leads/{lead.Id()}/accept", Api.AcceptBody, key);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
    }

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(KeyHeader, key);
        return await client.SendAsync(request);
    }

    /// <summary>Claims <paramref name="key"/> the way a request does, and never answers: as if its instance were still working on it.</summary>
    internal static async Task HoldKeyAsync(LeadsApiFactory api, PartnerClients partner, string key, string path, object body)
    {
        var hashOfKey = Identity.ApiKey.HashOf(partner.AdminKey);
        var user = await api.WithDbAsync(db => db.ApiKeys.AsNoTracking().Where(k => k.Hash == hashOfKey).Select(k => k.UserId).SingleAsync());
        var json = JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);
        var hash = System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes($"POST {path}\n"), .. json]);
        var now = api.Clock.GetUtcNow();
        await api.WithDbAsync(async db => await db.Database.ExecuteSqlAsync($"""
            INSERT INTO leads.idempotency_records (owner_id, user_id, key, request_hash, created_at, expires_at, locked_until)
            VALUES ({partner.PartnerId}, {user}, {key}, {hash}, {now}, {now.AddHours(24)}, {now.AddMinutes(1)})
            """));
    }

    internal static Task<int> AcceptedEntriesAsync(LeadsApiFactory api, string leadId) =>
        api.WithDbAsync(db => db.Timeline.AsNoTracking().CountAsync(e => e.LeadId == Guid.Parse(leadId) && e.Kind == LeadChangeKind.Accepted));

    private Task<int> RecordsAsync(Guid ownerId) =>
        api.WithDbAsync(db => db.IdempotencyRecords.AsNoTracking().CountAsync(r => r.OwnerId == ownerId));
}
