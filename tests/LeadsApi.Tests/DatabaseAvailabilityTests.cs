using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using LeadsApi.LocalDatabase;
using LeadsApi.Tests.Infrastructure;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>A pool of three connections that waits one second for a free one, and a command timeout of four.</summary>
public sealed class SmallPoolFactory : LeadsApiFactory
{
    public const int PoolSize = 3;
    public const int RetryAfterSeconds = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:MaxPoolSize"] = $"{PoolSize}",
        ["Database:ConnectionTimeoutSeconds"] = "1",
        ["Database:CommandTimeoutSeconds"] = "4",
        ["Database:RetryAfterSeconds"] = $"{RetryAfterSeconds}",
    };
}

/// <summary>
/// When every connection of the pool is taken, requests wait a bounded time and answer 503 with Retry-After,
/// never 500; the expiry sweep has connections of its own and keeps working meanwhile.
/// </summary>
public sealed class PoolSaturationTests(SmallPoolFactory api) : IClassFixture<SmallPoolFactory>
{
    [Fact]
    public async Task EditsQueuedBehindARowLock_ExhaustThePool_Answer503WithRetryAfter_AndTheSweepStillExpires()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var locked = (await sender.AcceptedLeadAsync(partner)).Id();
        var due = (await sender.CreateLeadAsync(partner.PartnerId)).Id();
        api.Clock.Advance(TimeSpan.FromDays(15));

        // Another session holds the accepted lead's row: every edit of it waits on the lock with a connection.
        await using var holder = new NpgsqlConnection(api.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM leads.leads WHERE id = $1 FOR UPDATE", holder, transaction) { Parameters = { new() { Value = Guid.Parse(locked) } } })
        {
            await lockRow.ExecuteScalarAsync();
        }

        var edits = Enumerable.Range(0, 30)
            // Off the test's synchronization context, as independent clients would send them.
            .Select(i => Task.Run(() => partner.Admin.PatchJsonAsync($"/v1/leads/{locked}", $$"""{ "notes": "edit {{i}}" }""")))
            .ToList();
        // pg_stat_activity is a snapshot per transaction, so it is read on a connection outside the holder's.
        await using var monitor = new NpgsqlConnection(api.ConnectionString);
        await monitor.OpenAsync();
        await WaitUntilAsync(async () => await CountAsync(monitor, "application_name = 'leadsapi' AND wait_event_type = 'Lock'") == SmallPoolFactory.PoolSize);

        // The request pool is full and waiting; the sweep runs on its own pool.
        Assert.Equal(1, await api.RunExpirySweepAsync());
        // Nothing can succeed while the lock is held, so the first answers are the requests that found no connection.
        await Task.WhenAny(edits).WaitAsync(TimeSpan.FromSeconds(30));
        await transaction.RollbackAsync();
        var responses = await Task.WhenAll(edits).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable }));
        var unavailable = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(unavailable);
        foreach (var response in unavailable)
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
            Assert.Equal(TimeSpan.FromSeconds(SmallPoolFactory.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        }

        // What was acknowledged is what the lead holds; the due lead was written down as expired.
        var lead = await partner.Admin.GetJsonAsync($"/v1/leads/{locked}");
        var acknowledged = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            acknowledged.Add((await response.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("deal").Str("notes"));
        }

        Assert.Contains(lead.GetProperty("deal").Str("notes"), acknowledged.Count > 0 ? acknowledged : ["Tenant-to-tenant move"]);
        Assert.Equal(["received", "expired"], await ExpiryTests.TimelineKindsAsync(partner.Admin, due));
    }

    internal static async Task<long> CountAsync(NpgsqlConnection connection, string where)
    {
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND {where}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(50);
        }
    }
}

/// <summary>The service on a PostgreSQL server of its own, which the test stops and starts.</summary>
public sealed class OutageFactory : LeadsApiFactory
{
    /// <summary>A server of its own (local binaries when there are any, else a container), which the test stops and starts on the same address.</summary>
    public PostgresServer? Database { get; private set; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:ConnectionTimeoutSeconds"] = "2",
        ["Database:CommandTimeoutSeconds"] = "5",
    };

    protected override async Task<string> CreateDatabaseAsync()
    {
        Database = await TestPostgres.StartThrowawayAsync(PostgresBackend.LocalBinaries, PostgresBackend.Docker);
        return Database.ConnectionString("leads");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The database stops under load and comes back: meanwhile reads and writes answer 503 with Retry-After and
/// readiness fails while liveness holds; afterwards the same process serves again, and every write that was
/// acknowledged with a 2xx is in the database.
/// </summary>
public sealed class DatabaseOutageTests(OutageFactory api) : IClassFixture<OutageFactory>
{
    [Fact]
    public async Task DatabaseStoppedUnderLoad_Answers503_RecoversWithoutRestart_AndLosesNoAcknowledgedWrite()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var acknowledged = new ConcurrentBag<Guid>();
        var answers = new ConcurrentBag<HttpResponseMessage>();
        var createdAfterRestart = 0;
        var restarted = false;
        using var load = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var i = 0; !load.IsCancellationRequested; i++)
            {
                var body = Api.NewLeadBody(partner.PartnerId, externalId: $"outage-{writer}-{i}");
                var response = await sender.Client.PostAsJsonAsync("/v1/leads", body);
                answers.Add(response);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(20); // a client would wait Retry-After; this one only keeps the outage busy
                }
                else if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(Guid.Parse((await response.ShouldBeAsync(HttpStatusCode.Created)).Id()));
                    if (Volatile.Read(ref restarted))
                    {
                        Interlocked.Increment(ref createdAfterRestart);
                    }
                }
            }
        }

        async Task ReadAsync()
        {
            while (!load.IsCancellationRequested)
            {
                answers.Add(await partner.Reader.GetAsync("/v1/leads?limit=5"));
                answers.Add(await partner.Reader.GetAsync("/v1/leads/summary"));
            }
        }

        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(() => WriteAsync(i))).Append(Task.Run(ReadAsync)).ToList();
        await WaitUntilAsync(() => acknowledged.Count >= 20);

        await api.Database!.StopAsync();
        await WaitUntilAsync(() => answers.Any(r => r.StatusCode == HttpStatusCode.ServiceUnavailable));
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await api.Database.StartAgainAsync();
        Volatile.Write(ref restarted, true);
        await WaitUntilAsync(() => Volatile.Read(ref createdAfterRestart) >= 20);
        await load.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var statuses = answers.Select(r => r.StatusCode).Distinct().Order().ToArray();
        Assert.Subset(new HashSet<HttpStatusCode> { HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }, statuses.ToHashSet());
        foreach (var response in answers.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand("SELECT count(*) FROM leads.leads WHERE id = ANY($1)", connection) { Parameters = { new() { Value = acknowledged.ToArray() } } };
        Assert.Equal(acknowledged.Count, (long)(await stored.ExecuteScalarAsync())!);
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await PoolSaturationTests.WaitUntilAsync(() => Task.FromResult(condition()));
}
