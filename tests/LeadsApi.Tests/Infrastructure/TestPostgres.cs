using LeadsApi.LocalDatabase;
using Npgsql;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the whole test run shares; each test class gets a database of its own on it.
/// It comes from LEADS_TEST_DATABASE (a connection string) when set, else from the service's own launcher:
/// a Testcontainers PostgreSQL when a Docker daemon answers, else a throwaway cluster from the local binaries.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);

    public static Task<Server> GetAsync() => Shared.Value;

    /// <summary>A fresh, empty database and its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await GetAsync();
        var name = $"leads_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A throwaway server of its own, from the first of <paramref name="backends"/> that can run one.</summary>
    public static Task<PostgresServer> StartThrowawayAsync(params PostgresBackend[] backends) =>
        PostgresLauncher.StartAsync(new PostgresSpec
        {
            Backends = backends,
            Image = Environment.GetEnvironmentVariable("LEADS_TEST_POSTGRES_IMAGE") is { Length: > 0 } image ? image : "postgres:15-bookworm",
            // Room for every test class's pools at once; durability is of no use to a throwaway server.
            Settings = ["max_connections=300", "fsync=off"],
        }, CancellationToken.None);

    private static async Task<Server> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("LEADS_TEST_DATABASE") is { Length: > 0 } configured)
        {
            return Report(new Server(configured, "LEADS_TEST_DATABASE", null));
        }

        try
        {
            var server = await StartThrowawayAsync(PostgresBackend.Docker, PostgresBackend.LocalBinaries);
            return Report(new Server(server.ConnectionString("postgres"), server.Description, server));
        }
        catch (PostgresUnavailableException e)
        {
            throw new InvalidOperationException(
                $"No test database ({e.Message}): set LEADS_TEST_DATABASE to a PostgreSQL connection string, start Docker, or install the PostgreSQL server binaries.", e);
        }
    }

    /// <summary>Says which database the run used, for people and for .ci/run (which prints it).</summary>
    private static Server Report(Server server)
    {
        var line = $"LeadsApi tests: database from {server.Source}";
        Console.Error.WriteLine(line);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "test-database.txt"), line + Environment.NewLine);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Owned?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    public sealed record Server(string AdminConnectionString, string Source, IAsyncDisposable? Owned);
}
