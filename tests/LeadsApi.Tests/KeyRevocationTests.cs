using System.Net;
using System.Net.Http.Json;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>Keys are cached by every instance; a revoked key stops working on all of them when the revocation commits.</summary>
public sealed class KeyRevocationTests
{
    private static readonly Dictionary<string, string?> Defaults = [];

    [Fact]
    public async Task AKeyRevokedInTheDatabase_IsRefusedByEveryInstance_AtOnce()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await using var b = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await ListeningAsync(database, 2);
        var partner = await a.NewPartnerAsync();
        var onB = b.ClientWithKey(partner.AdminKey);
        // Both instances have the key cached now.
        await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        await (await onB.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);

        await RevokeAsync(database, partner.AdminKey);

        await RefusedWithinAsync(partner.Admin, TimeSpan.FromSeconds(2));
        await RefusedWithinAsync(onB, TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++)
        {
            await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
            await (await onB.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }

    [Fact]
    public async Task AKeyRevokedOverHttpOnOneInstance_IsRefusedByTheOther_AtOnce()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await using var b = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await ListeningAsync(database, 2);
        var partner = await a.NewPartnerAsync();
        var created = await (await partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = "CRM sync", roles = new[] { Roles.ReferralsAdmin } }))
            .ShouldBeAsync(HttpStatusCode.Created);
        var onA = a.ClientWithKey(created.Str("secret"));
        var onB = b.ClientWithKey(created.Str("secret"));
        // Both instances have the new key cached now.
        await (await onA.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        await (await onB.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);

        await (await partner.Admin.DeleteAsync($"/v1/api-keys/{created.Id()}")).ShouldBeAsync(HttpStatusCode.NoContent);

        // The instance that revoked it refuses it with its very next request; the other within the notification's delay.
        await (await onA.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await RefusedWithinAsync(onB, TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++)
        {
            await (await onB.GetAsync("/v1/leads")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }

    [Fact]
    public async Task RecordingALastUse_FlushesNoInstancesCache()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await ListeningAsync(database, 1);
        var partner = await a.NewPartnerAsync();
        await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        var cache = a.Services.GetRequiredService<ApiKeyCache>();
        var before = cache.Generation;

        // Each use a minute apart writes last_used_at; none of those writes may notify the key-change channel.
        for (var i = 0; i < 3; i++)
        {
            a.Clock.Advance(ApiKeyUsage.Granularity);
            await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        }

        await RevokeAsync(database, partner.AdminKey);
        await RefusedWithinAsync(partner.Admin, TimeSpan.FromSeconds(2));
        // The revocation was the one change the cache heard of.
        Assert.Equal(before + 1, cache.Generation);
    }

    [Fact]
    public async Task AListenerThatLostItsConnection_ReconnectsWithAnEmptyCache_AndRevocationStillTakesEffect()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: false, Defaults);
        await ListeningAsync(database, 1);
        var partner = await a.NewPartnerAsync();
        await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);

        await ExecuteAsync(database, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{DatabasePools.ListenerApplicationName}' AND datname = current_database()");
        await ListeningAsync(database, 1);
        await (await partner.Admin.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
        await RevokeAsync(database, partner.AdminKey);

        await RefusedWithinAsync(partner.Admin, TimeSpan.FromSeconds(2));
    }

    private static async Task RefusedWithinAsync(HttpClient client, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while ((await client.GetAsync("/v1/leads")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The revoked key still worked after {patience.TotalSeconds} s.");
            await Task.Delay(10);
        }
    }

    private static Task RevokeAsync(string database, string apiKey) =>
        ExecuteAsync(database, $"UPDATE leads.api_keys SET revoked_at = now() WHERE hash = '{ApiKey.HashOf(apiKey)}'");

    /// <summary>Waits until this many instances listen for key changes (each holds one session for it).</summary>
    private static async Task ListeningAsync(string database, int instances)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand(
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{DatabasePools.ListenerApplicationName}' AND datname = current_database() AND query ILIKE 'LISTEN%'",
                connection);
            if ((long)(await count.ExecuteScalarAsync())! == instances)
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{instances} listeners did not connect.");
            await Task.Delay(50);
        }
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
