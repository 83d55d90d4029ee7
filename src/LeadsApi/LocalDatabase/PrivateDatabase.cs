using LeadsApi.Hosting;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// Gives the service a database when no connection string is configured: a PostgreSQL cluster of
/// its own under the data folder (local binaries, else Docker), started now and stopped on dispose.
/// With <c>ConnectionStrings:Leads</c> set, it does nothing.
/// </summary>
public sealed class PrivateDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Leads";
    private readonly IAsyncDisposable? _server;

    private PrivateDatabase(IAsyncDisposable? server, string? description, string? dataFolder = null)
    {
        _server = server;
        Description = description;
        DataFolder = dataFolder;
    }

    /// <summary>The folder of the private database and its demo keys; null when an external database is used.</summary>
    public string? DataFolder { get; }

    /// <summary>What was started, for the start-up banner; null when an external database is used.</summary>
    public string? Description { get; }

    public bool IsPrivate => _server is not null;

    public static async Task<PrivateDatabase> StartIfNeededAsync(IConfiguration configuration, string contentRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
        {
            return new PrivateDatabase(null, null);
        }

        var dataFolder = configuration["LocalDatabase:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryPaths.Root(contentRoot) ?? contentRoot, ".data");

        if (LocalPostgresCluster.FindBinaries() is not null)
        {
            var cluster = await LocalPostgresCluster.StartAsync(Path.Combine(dataFolder, "postgres"), deleteOnDispose: false, cancellationToken);
            configuration[$"ConnectionStrings:{ConnectionStringName}"] = cluster.ConnectionString("leads");
            return new PrivateDatabase(cluster, $"PostgreSQL from local binaries on 127.0.0.1:{cluster.Port}, data in {Path.Combine(dataFolder, "postgres")}", dataFolder);
        }

        if (DockerPostgres.IsAvailable())
        {
            var image = configuration["LocalDatabase:Image"] ?? "postgres:15-bookworm";
            var container = await DockerPostgres.StartAsync(Path.Combine(dataFolder, "docker-postgres.password"), image, cancellationToken);
            configuration[$"ConnectionStrings:{ConnectionStringName}"] = container.ConnectionString;
            return new PrivateDatabase(container, $"PostgreSQL in Docker ({image}), data in the volume leadsapi-dev-pgdata", dataFolder);
        }

        throw new PrivateDatabaseUnavailableException(
            "No database: install the PostgreSQL 15+ server binaries (apt install postgresql) or Docker, or set ConnectionStrings__Leads to an existing database.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class PrivateDatabaseUnavailableException(string message) : Exception(message);
