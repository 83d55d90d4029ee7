using LeadsApi.LocalDatabase;
using Npgsql;
using Testcontainers.PostgreSql;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the whole test run shares; each test class gets a database of its own on it.
/// It comes from LEADS_TEST_DATABASE (a connection string) when set, else a Testcontainers PostgreSQL
/// when a Docker daemon answers, else a throwaway cluster from the local PostgreSQL binaries.
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

    private static async Task<Server> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("LEADS_TEST_DATABASE") is { Length: > 0 } configured)
        {
            return Report(new Server(configured, "LEADS_TEST_DATABASE", null));
        }

        if (DockerAnswers())
        {
            try
            {
                return Report(await StartContainerAsync());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync($"Docker answered but the PostgreSQL container did not start ({e.Message}); using local binaries.");
            }
        }

        if (LocalPostgresCluster.FindBinaries() is null)
        {
            throw new InvalidOperationException(
                "No test database: set LEADS_TEST_DATABASE to a PostgreSQL connection string, start Docker, or install the PostgreSQL server binaries.");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"leadsapi-tests-{Guid.NewGuid():N}");
        var cluster = await LocalPostgresCluster.StartAsync(folder, deleteOnDispose: true, CancellationToken.None);
        return Report(new Server(cluster.ConnectionString("postgres"), "local PostgreSQL binaries (throwaway cluster)", cluster));
    }

    private static async Task<Server> StartContainerAsync()
    {
        // The Docker here is 20.10 and the reaper image cannot be pulled; these are the documented settings for it.
        SetDefault("DOCKER_API_VERSION", "1.41");
        SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
        var image = Environment.GetEnvironmentVariable("LEADS_TEST_POSTGRES_IMAGE") is { Length: > 0 } custom ? custom : "postgres:15-bookworm";
        var container = new PostgreSqlBuilder(image)
            .WithCommand("-c", "max_connections=300", "-c", "fsync=off")
            .Build();
        await container.StartAsync();
        return new Server(container.GetConnectionString(), $"Testcontainers ({image})", container);
    }

    private static bool DockerAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return host is { Length: > 0 } || File.Exists("/var/run/docker.sock");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
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
