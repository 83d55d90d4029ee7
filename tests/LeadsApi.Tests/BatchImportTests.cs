using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsApi.Limits;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>
/// POST /v1/leads/batch as a sender uses it: one result per lead in the order sent, each lead created, replayed by its
/// externalId or failed on its own, and a failed lead leaves nothing behind while the others are stored with their events.
/// </summary>
public sealed class BatchImportTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private const string Batch = "/v1/leads/batch";
    private static readonly string[] Succeeded = ["created", "replayed"];

    [Fact]
    public async Task MixedBatch_AnswersOneResultPerLeadInOrder_CreatedReplayedAndFailed()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var earlier = await (await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId, externalId: "mkt-earlier")))
            .ShouldBeAsync(HttpStatusCode.Created);
        var bad = JsonNode.Parse(Api.With(Api.NewLeadBody(partner.PartnerId), "customer.email", "\"not an address\""))!;
        bad["type"] = "bogus";

        var response = await PostBatchAsync(sender.Client,
            Lead(partner.PartnerId, "mkt-new"),
            Lead(partner.PartnerId, "mkt-earlier"),
            bad,
            Lead(partner.PartnerId, null));

        var results = Results(await response.ShouldBeAsync(HttpStatusCode.OK));
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["created", "replayed", "failed", "created"], results.Select(r => r.Str("outcome")));
        Assert.Equal([201, 200, 400, 201], results.Select(r => r.GetProperty("status").GetInt32()));

        var created = results[0].GetProperty("lead");
        Assert.Equal("mkt-new", created.Str("externalId"));
        Assert.Equal($"/v1/leads/{created.Id()}", results[0].Str("location"));
        Assert.Equal(created.Str("etag"), (await sender.Client.GetJsonAsync(results[0].Str("location"))).Str("etag"));
        Assert.Equal(earlier.Id(), results[1].GetProperty("lead").Id());
        Assert.False(results[2].TryGetProperty("lead", out _));
        Assert.False(results[0].TryGetProperty("problem", out _));
        Assert.Equal(3, (await sender.Client.GetJsonAsync("/v1/leads?limit=10")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AFailedLead_IsTheProblemACreateWouldAnswer_NamingItsIndexAndFields()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = Lead(partner.PartnerId, null);
        lead.Remove("need");
        lead["customer"]!["country"] = "XX";
        var invalid = lead.ToJsonString();

        var single = await (await sender.Client.PostJsonAsync("/v1/leads", invalid)).ShouldFailValidationAsync("customer.country", "need");
        var results = Results(await (await PostBatchAsync(sender.Client, Lead(partner.PartnerId, null), JsonNode.Parse(invalid)!))
            .ShouldBeAsync(HttpStatusCode.OK));

        var failed = results[1];
        Assert.Equal(("failed", 1, 400), (failed.Str("outcome"), failed.GetProperty("index").GetInt32(), failed.GetProperty("status").GetInt32()));
        var problem = failed.GetProperty("problem");
        Assert.Equal("validation-failed", problem.Str("code"));
        Assert.Equal("/problems/validation-failed", problem.Str("type"));
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal($"{Batch}#/leads/1", problem.Str("instance"));
        Assert.Equal(single.GetProperty("errors").GetRawText(), problem.GetProperty("errors").GetRawText());
        Assert.Equal(single.Str("detail"), problem.Str("detail"));
    }

    [Theory]
    [InlineData("unknown", "1", "unknown")]
    [InlineData("type", "7", "type")]
    [InlineData("customer.companySize", "\"huge\"", "customer.companySize")]
    [InlineData("", "[ 1, 2 ]", "body")]
    [InlineData("", "7", "body")]
    public async Task ALeadWhoseJsonDoesNotFit_FailsAlone_AsACreateWouldFailIt(string path, string json, string field)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var item = path.Length == 0 ? json : Api.With(Api.NewLeadBody(partner.PartnerId), path, json);

        var single = await (await sender.Client.PostJsonAsync("/v1/leads", item)).ShouldFailValidationAsync(field);
        var results = Results(await (await PostBatchAsync(sender.Client, JsonNode.Parse(item)!, Lead(partner.PartnerId, null))).ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["failed", "created"], results.Select(r => r.Str("outcome")));
        Assert.Equal(single.GetProperty("errors").GetRawText(), results[0].GetProperty("problem").GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task ANullLead_FailsAlone_AsACreateWithoutABodyWould()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var results = Results(await (await sender.Client.PostJsonAsync(Batch, $$"""{ "leads": [ null, {{Lead(partner.PartnerId, null).ToJsonString()}} ] }"""))
            .ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["failed", "created"], results.Select(r => r.Str("outcome")));
        Assert.Equal("malformed-json", results[0].GetProperty("problem").Str("code"));
    }

    [Fact]
    public async Task AFailedLead_StoresNothing_AndTheGoodOnesAreStoredWithTheirEventsInTheFeed()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var (_, cursor) = await partner.Reader.ReadAllAsync();
        var invalid = Lead(partner.PartnerId, "mkt-invalid");
        invalid["customer"]!["email"] = "nope";

        var results = Results(await (await PostBatchAsync(sender.Client,
            Lead(partner.PartnerId, "mkt-good-1"), invalid, Lead(partner.PartnerId, "mkt-good-2"))).ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["created", "failed", "created"], results.Select(r => r.Str("outcome")));
        var good = new[] { results[0], results[2] }.Select(r => r.GetProperty("lead").Id()).ToArray();
        var (events, _) = await partner.Reader.ReadAllAsync(cursor);
        Assert.Equal(good.Order(), events.Select(e => e.Str("leadId")).Order());
        Assert.All(events, e => Assert.Equal("lead.received", e.Str("type")));
        var (stored, timeline) = await api.WithDbAsync(async db => (
            await db.Leads.Where(l => l.PartnerId == partner.PartnerId).Select(l => l.ExternalId).ToListAsync(),
            await db.Timeline.CountAsync(t => t.PartnerId == partner.PartnerId)));
        Assert.Equal(["mkt-good-1", "mkt-good-2"], stored.Order());
        Assert.Equal(2, timeline);
    }

    [Fact]
    public async Task ALeadTheDatabaseRefusesHalfway_LeavesNoLeadWithoutItsEvents_AndTheOthersAreStored()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var marker = $"refused-{Guid.NewGuid():N}";
        // The lead's row is written first, then its timeline and events: an event the database refuses must take the lead with it.
        var constraint = $"ALTER TABLE leads.events ADD CONSTRAINT test_{marker.Replace('-', '_')} CHECK (payload::text NOT LIKE '%{marker}%')";
        await api.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(constraint));
        var refused = Lead(partner.PartnerId, "mkt-refused");
        refused["need"] = marker;

        var results = Results(await (await PostBatchAsync(sender.Client, Lead(partner.PartnerId, "mkt-a"), refused, Lead(partner.PartnerId, "mkt-b")))
            .ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["created", "failed", "created"], results.Select(r => r.Str("outcome")));
        Assert.Equal(500, results[1].GetProperty("status").GetInt32());
        Assert.Equal("internal-error", results[1].GetProperty("problem").Str("code"));
        var stored = await api.WithDbAsync(db => db.Leads.Where(l => l.PartnerId == partner.PartnerId).Select(l => l.ExternalId).ToListAsync());
        Assert.Equal(["mkt-a", "mkt-b"], stored.Order());
        Assert.Equal(0, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.Need == marker)));
    }

    [Fact]
    public async Task TheSameExternalId_IsReplayedAcrossBatchesAndWithinOne()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var first = Results(await (await PostBatchAsync(sender.Client, Lead(partner.PartnerId, "mkt-1"), Lead(partner.PartnerId, "mkt-1", "Other name")))
            .ShouldBeAsync(HttpStatusCode.OK));
        var second = Results(await (await PostBatchAsync(sender.Client, Lead(partner.PartnerId, "mkt-2"), Lead(partner.PartnerId, "mkt-1")))
            .ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["created", "replayed"], first.Select(r => r.Str("outcome")));
        Assert.Equal(["created", "replayed"], second.Select(r => r.Str("outcome")));
        var id = first[0].GetProperty("lead").Id();
        Assert.Equal(id, first[1].GetProperty("lead").Id());
        Assert.Equal(id, second[1].GetProperty("lead").Id());
        // The replay is the lead the first one created: its customer, not the one the replay sent.
        Assert.Equal("Fabrikam Ltd", first[1].GetProperty("lead").GetProperty("customer").Str("companyName"));
        Assert.Equal(2, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    [Fact]
    public async Task ConcurrentBatchesWithTheSameExternalIds_CreateEachLeadOnce()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var ids = Enumerable.Range(0, 20).Select(i => $"mkt-race-{i}").ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async n =>
        {
            // Each batch sends the ids in another order, so the batches meet on different leads.
            var order = n % 2 == 0 ? ids : [.. ids.Reverse()];
            return Results(await (await PostBatchAsync(sender.Client, [.. order.Select(id => Lead(partner.PartnerId, id))])).ShouldBeAsync(HttpStatusCode.OK));
        }));

        var all = answers.SelectMany(a => a).ToList();
        Assert.All(all, r => Assert.Contains(r.Str("outcome"), Succeeded));
        Assert.Equal(ids.Order(), all.Where(r => r.Str("outcome") == "created").Select(r => r.GetProperty("lead").Str("externalId")).Order());
        Assert.All(all.GroupBy(r => r.GetProperty("lead").Str("externalId")), g => Assert.Single(g.Select(r => r.GetProperty("lead").Id()).Distinct()));
        Assert.Equal(ids.Length, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    [Fact]
    public async Task MoreThan100Leads_Is400ForTheWholeBatch_AndStoresNothing()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var leads = Enumerable.Range(0, FieldLimits.BatchLeads.MaxItems + 1).Select(i => Lead(partner.PartnerId, $"mkt-{i}")).ToArray();

        var problem = await (await PostBatchAsync(sender.Client, leads)).ShouldFailValidationAsync("leads");

        Assert.Contains("(got 101)", problem.GetProperty("errors").GetProperty("leads")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
        // Exactly 100 is a batch.
        var results = Results(await (await PostBatchAsync(sender.Client, leads[..100])).ShouldBeAsync(HttpStatusCode.OK));
        Assert.All(results, r => Assert.Equal("created", r.Str("outcome")));
        Assert.Equal(Enumerable.Range(0, 100), results.Select(r => r.GetProperty("index").GetInt32()));
    }

    [Theory]
    [InlineData("""{ "leads": [] }""", "leads")]
    [InlineData("""{}""", "leads")]
    [InlineData("""{ "leads": null }""", "leads")]
    [InlineData("""{ "leads": {} }""", "leads")]
    [InlineData("""{ "leads": "x" }""", "leads")]
    [InlineData("""{ "leads": [ {} ], "more": 1 }""", "more")]
    [InlineData("""[ {} ]""", "body")]
    public async Task ABodyThatIsNotABatch_Is400ForTheWholeRequest_NamingWhatIsWrong(string body, string field)
    {
        var sender = await api.NewSenderAsync();

        await (await sender.Client.PostJsonAsync(Batch, body)).ShouldFailValidationAsync(field);
    }

    [Theory]
    [InlineData("""{ "leads": [ """)]
    [InlineData("not json")]
    public async Task ABodyThatIsNotJson_Is400MalformedJson(string body)
    {
        var sender = await api.NewSenderAsync();

        await (await sender.Client.PostJsonAsync(Batch, body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
    }

    [Fact]
    public async Task ALeadForAPartnerThatDoesNotExist_FailsNamingPartnerId()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var results = Results(await (await PostBatchAsync(sender.Client, Lead(Guid.CreateVersion7(), "mkt-nowhere"), Lead(partner.PartnerId, "mkt-here")))
            .ShouldBeAsync(HttpStatusCode.OK));

        Assert.Equal(["failed", "created"], results.Select(r => r.Str("outcome")));
        Assert.Equal(["partnerId"], results[0].GetProperty("problem").GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task APartnersKeys_Get403_AndNothingIsStored()
    {
        var partner = await api.NewPartnerAsync();
        var body = new { leads = new[] { Lead(partner.PartnerId, "mkt-x") } };

        foreach (var client in new[] { partner.Admin, partner.ReferralsAdmin, partner.Reader })
        {
            await (await client.PostAsJsonAsync(Batch, body)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        await (await api.CreateClient().PostAsJsonAsync(Batch, body)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(0, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    [Fact]
    public async Task TheSameBatchWithTheSameIdempotencyKey_IsReplayedByteForByte_AndRunsOnce()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        // Leads without an externalId: only the key keeps a retry from creating them again.
        var body = new { leads = new[] { Lead(partner.PartnerId, null), Lead(partner.PartnerId, null) } };
        var key = Guid.NewGuid().ToString();

        var first = await IdempotencyTests.PostAsync(sender.Client, Batch, body, key);
        var retry = await IdempotencyTests.PostAsync(sender.Client, Batch, body, key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
        await (await IdempotencyTests.PostAsync(sender.Client, Batch, new { leads = new[] { Lead(partner.PartnerId, null) } }, key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Fact]
    public void TheContract_PublishesTheBatchLimit()
    {
        var leads = Contract.CheckedIn.RequestField("importLeads", "leads");

        Assert.Equal(FieldLimits.BatchLeads.MaxItems, leads.Whole("maxItems"));
        Assert.Equal(FieldLimits.BatchLeads.MinItems, leads.Whole("minItems"));
        Assert.Contains("CreateLeadRequest", Contract.CheckedIn.RequestField("importLeads", "leads[0]").References);
    }

    internal static JsonObject Lead(Guid partnerId, string? externalId, string companyName = "Fabrikam Ltd") =>
        JsonSerializer.SerializeToNode(Api.NewLeadBody(partnerId, externalId: externalId, companyName: companyName))!.AsObject();

    internal static Task<HttpResponseMessage> PostBatchAsync(HttpClient client, params JsonNode[] leads) =>
        client.PostJsonAsync(Batch, new JsonObject { ["leads"] = new JsonArray([.. leads.Select(l => l.DeepClone())]) }.ToJsonString());

    internal static List<JsonElement> Results(JsonElement response) => [.. response.GetProperty("results").EnumerateArray()];
}

/// <summary>The batch's own body limit, on a real socket (the in-memory server enforces none).</summary>
public sealed class BatchImportBodyLimitTests(KestrelLeadsApiFactory api) : IClassFixture<KestrelLeadsApiFactory>
{
    [Fact]
    public async Task ABatchOver64KiB_IsRead_AndItsIdempotencyKeyKept_ButOver1MiBIs413AndStoresNothing()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var need = new string('n', 3000);
        var leads = Enumerable.Range(0, 100).Select(i => BatchImportTests.Lead(partner.PartnerId, $"mkt-big-{i}")).ToArray();
        foreach (var lead in leads)
        {
            lead["need"] = need;
        }

        var body = new JsonObject { ["leads"] = new JsonArray([.. leads.Select(l => l.DeepClone())]) }.ToJsonString();
        Assert.InRange(Encoding.UTF8.GetByteCount(body), FieldLimits.MaxBodyBytes + 1, FieldLimits.MaxBatchBodyBytes);
        var key = Guid.NewGuid().ToString();

        var first = await SendAsync(sender.Client, body, key);
        var retry = await SendAsync(sender.Client, body, key);

        Assert.All(BatchImportTests.Results(await first.ShouldBeAsync(HttpStatusCode.OK)), r => Assert.Equal("created", r.Str("outcome")));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());

        var tooLarge = new JsonObject { ["leads"] = new JsonArray(BatchImportTests.Lead(partner.PartnerId, "mkt-huge")), ["pad"] = new string(' ', FieldLimits.MaxBatchBodyBytes) };
        await (await sender.Client.PostJsonAsync("/v1/leads/batch", tooLarge.ToJsonString())).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Equal(100, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads/batch") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}
