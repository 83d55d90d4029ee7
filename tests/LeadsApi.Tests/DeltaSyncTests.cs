using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>
/// A delta sync's read waits 1 s at most for transactions still open, so a test that holds one open is quick; and the
/// concurrent writers write faster than a key's write budget allows, which is not what these tests are about.
/// </summary>
public sealed class DeltaSyncLeadsApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Events:FeedCatchUpWait"] = "00:00:01",
        ["RateLimits:Enabled"] = "false",
    };
}

/// <summary>
/// GET /v1/leads?sort=updatedAt pages in the order the changes committed and ends with a deltaLink: a sync that follows
/// nextLink, keeps the deltaLink and reads it again later never loses a change, however writers interleave with it.
/// </summary>
public sealed class DeltaSyncTests(DeltaSyncLeadsApiFactory api) : IClassFixture<DeltaSyncLeadsApiFactory>
{
    [Fact]
    public async Task ConcurrentWritersWhilePaging_TheSyncedLeadsEqualTheDatabase()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await sender.AcceptedLeadAsync(partner)).Id());
        }

        var synced = new Dictionary<string, int>(StringComparer.Ordinal);
        var deltaLink = await SyncAsync(partner.Reader, "/v1/leads?sort=updatedAt&limit=7", synced);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; n < 40; n++)
            {
                var id = ids[random.Next(ids.Count)];
                var edit = await partner.Admin.PatchJsonAsync($"/v1/leads/{id}", $$"""{ "crmId": "CRM-{{w}}-{{n}}" }""");
                // Two writers on one lead at once: one of them is a 409 and changes nothing, as it should.
                Assert.True(edit.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"edit: {(int)edit.StatusCode}");
            }
        })).ToList();

        // The integrator syncs again and again while the writers run: each time every page, then the new deltaLink.
        var rounds = 0;
        while (!writers.All(t => t.IsCompleted))
        {
            deltaLink = await SyncAsync(partner.Reader, deltaLink, synced);
            rounds++;
        }

        await Task.WhenAll(writers);
        deltaLink = await SyncAsync(partner.Reader, deltaLink, synced);

        Assert.True(rounds > 1, $"the sync ran {rounds} time(s) while the writers wrote");
        var stored = await StoredVersionsAsync(partner.PartnerId);
        Assert.Equal(stored.OrderBy(p => p.Key), synced.OrderBy(p => p.Key));
        // Nothing changed since: the deltaLink's answer is empty, and it hands back a deltaLink again.
        var quiet = await partner.Reader.GetJsonAsync(deltaLink);
        Assert.Equal(0, quiet.GetProperty("items").GetArrayLength());
        Assert.False(quiet.TryGetProperty("nextLink", out _));
        Assert.StartsWith("/v1/leads?", quiet.Str("deltaLink"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChangeThatCommitsAfterALaterOne_ComesInTheNextSync_NotBehindTheCursor()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var early = await sender.AcceptedLeadAsync(partner);
        var late = await sender.AcceptedLeadAsync(partner);
        var synced = new Dictionary<string, int>(StringComparer.Ordinal);
        var deltaLink = await SyncAsync(partner.Reader, "/v1/leads?sort=updatedAt", synced);

        // A writer that began first and commits last: its lead's updatedAt is older than the change that commits before it.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var slow = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand(
            "UPDATE leads.leads SET deal_crm_id = 'CRM-SLOW', version = version + 1, updated_at = updated_at WHERE id = @id", connection, slow))
        {
            update.Parameters.AddWithValue("id", Guid.Parse(early.Id()));
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        api.Clock.Advance(TimeSpan.FromMinutes(1));
        (await partner.Admin.PatchJsonAsync($"/v1/leads/{late.Id()}", """{ "crmId": "CRM-FAST" }""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var whileOpen = await ReadAllPagesAsync(partner.Reader, deltaLink);
        deltaLink = whileOpen.DeltaLink;
        Apply(whileOpen.Items, synced);
        await slow.CommitAsync();
        Apply((await ReadAllPagesAsync(partner.Reader, deltaLink)).Items, synced);

        // The fast change was held back while the slow one could still commit below it; both are synced now.
        Assert.DoesNotContain(whileOpen.Items, l => l.Id() == late.Id() && l.GetProperty("deal").Str("crmId") == "CRM-FAST");
        Assert.Equal(await StoredVersionsAsync(partner.PartnerId), synced);
        // A sync by timestamp alone, from the fast change's updatedAt, would have lost the slow one: its updatedAt is older.
        var fast = await partner.Reader.GetJsonAsync($"/v1/leads/{late.Id()}");
        var byTimestamp = await partner.Reader.GetJsonAsync(
            $"/v1/leads?sort=updatedAt&updatedSince={Uri.EscapeDataString(fast.Time("updatedAt").UtcDateTime.ToString("O"))}");
        Assert.DoesNotContain(byTimestamp.GetProperty("items").EnumerateArray(), l => l.Id() == early.Id());
    }

    [Fact]
    public async Task UpdatedSince_StartsTheSync_AndItsDeltaLinkFollowsEveryLaterChange()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var before = await sender.AcceptedLeadAsync(partner);
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        var since = api.Clock.GetUtcNow();
        var after = await sender.AcceptedLeadAsync(partner);

        var first = await ReadAllPagesAsync(partner.Reader, $"/v1/leads?sort=updatedAt&updatedSince={Uri.EscapeDataString(since.UtcDateTime.ToString("O"))}");
        Assert.Equal([after.Id()], first.Items.Select(l => l.Id()));
        Assert.DoesNotContain("updatedSince", first.DeltaLink, StringComparison.Ordinal);

        (await partner.Admin.PatchJsonAsync($"/v1/leads/{before.Id()}", """{ "crmId": "CRM-NEW" }""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = await ReadAllPagesAsync(partner.Reader, first.DeltaLink);
        Assert.Equal([before.Id()], next.Items.Select(l => l.Id()));
    }

    [Fact]
    public async Task AnExpiredLead_IsInTheSyncOnceTheSweepWritesItDown()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var start = await ReadAllPagesAsync(partner.Reader, "/v1/leads?sort=updatedAt");

        api.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        var beforeSweep = await ReadAllPagesAsync(partner.Reader, start.DeltaLink);
        await api.RunExpirySweepAsync();
        var afterSweep = await ReadAllPagesAsync(partner.Reader, beforeSweep.DeltaLink);

        // It reads expired at once, but counts as updated when the sweep (or a command meeting it) writes the expiry down.
        Assert.DoesNotContain(beforeSweep.Items, l => l.Id() == lead.Id());
        var expired = Assert.Single(afterSweep.Items, l => l.Id() == lead.Id());
        Assert.Equal("expired", expired.Str("status"));
        Assert.Equal(api.Clock.GetUtcNow(), expired.Time("updatedAt"), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task TheSendersSync_HasADeltaLinkToo()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var start = await ReadAllPagesAsync(sender.Client, "/v1/leads?sort=updatedAt");
        Assert.Contains(start.Items, l => l.Id() == lead.Id());

        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = await ReadAllPagesAsync(sender.Client, start.DeltaLink);

        var accepted = Assert.Single(next.Items);
        Assert.Equal("accepted", accepted.Str("status"));
    }

    [Theory]
    [InlineData("-updatedAt")]
    [InlineData("receivedAt")]
    public async Task OnlyTheSyncOrder_HasADeltaLink(string sort)
    {
        var partner = await api.NewPartnerAsync();
        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var page = await partner.Reader.GetJsonAsync($"/v1/leads?sort={sort}");

        Assert.False(page.TryGetProperty("deltaLink", out _));
    }

    /// <summary>Follows nextLink from <paramref name="link"/> to the last page, applying each lead's version; returns the deltaLink.</summary>
    private static async Task<string> SyncAsync(HttpClient client, string link, Dictionary<string, int> synced)
    {
        var pages = await ReadAllPagesAsync(client, link);
        Apply(pages.Items, synced);
        return pages.DeltaLink;
    }

    private static void Apply(IEnumerable<JsonElement> items, Dictionary<string, int> synced)
    {
        foreach (var lead in items)
        {
            synced[lead.Id()] = Api.VersionOf(lead.Str("etag"));
        }
    }

    private static async Task<(List<JsonElement> Items, string DeltaLink)> ReadAllPagesAsync(HttpClient client, string link)
    {
        var items = new List<JsonElement>();
        while (true)
        {
            var page = await client.GetJsonAsync(link);
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            if (page.TryGetProperty("nextLink", out var next))
            {
                Assert.False(page.TryGetProperty("deltaLink", out _), "a page with a nextLink has no deltaLink");
                link = next.GetString()!;
                continue;
            }

            return (items, page.Str("deltaLink"));
        }
    }

    private async Task<Dictionary<string, int>> StoredVersionsAsync(Guid partnerId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT id, version FROM leads.leads WHERE partner_id = @partner", connection);
        query.Parameters.AddWithValue("partner", partnerId);
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[reader.GetGuid(0).ToString()] = reader.GetInt32(1);
        }

        return versions;
    }
}
