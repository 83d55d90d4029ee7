using LeadsApi.Hosting;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// The private database of `dotnet run` and of the admin and <c>database</c> commands: a persistent
/// PostgreSQL from <see cref="PostgresLauncher"/> (local binaries, else Docker), its data in the data folder
/// or in Docker's volume, kept between runs. With <c>ConnectionStrings:Leads</c> set, the service and the
/// admin commands use that database and start nothing.
/// </summary>
public sealed class PrivateDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Leads";
    private readonly PostgresServer? _server;

    private PrivateDatabase(PostgresServer? server, string? dataFolder)
    {
        _server = server;
        DataFolder = dataFolder;
    }

    /// <summary>The folder of the private database and its demo keys; null when an external database is used.</summary>
    public string? DataFolder { get; }

    /// <summary>What was started, for the start-up banner; null when an external database is used.</summary>
    public string? Description => _server?.Description;

    public bool IsPrivate => _server is not null;

    /// <summary>Whether stopping the service stops the database: false when it joined one already running (<c>database start</c>).</summary>
    public bool StopsWithService => _server?.StopOnDispose ?? false;

    /// <summary>
    /// What the configuration asks for: <c>LocalDatabase:DataDirectory</c> (default <c>.data</c> at the
    /// repository root), <c>LocalDatabase:Backend</c> (<c>auto</c>: local binaries, else Docker; or <c>local</c>,
    /// <c>docker</c>), <c>LocalDatabase:Image</c> and <c>LocalDatabase:DockerName</c>.
    /// </summary>
    public static PostgresSpec Spec(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("LocalDatabase");
        IReadOnlyList<PostgresBackend> backends = section["Backend"]?.ToUpperInvariant() switch
        {
            null or "" or "AUTO" => [PostgresBackend.LocalBinaries, PostgresBackend.Docker],
            "LOCAL" => [PostgresBackend.LocalBinaries],
            "DOCKER" => [PostgresBackend.Docker],
            var other => throw new PostgresUnavailableException($"LocalDatabase:Backend must be auto, local or docker (got '{other}')."),
        };
        return new PostgresSpec
        {
            Backends = backends,
            DataFolder = section["DataDirectory"] is { Length: > 0 } configured
                ? Path.GetFullPath(configured)
                : Path.Combine(RepositoryPaths.Root(contentRoot) ?? contentRoot, ".data"),
            Image = section["Image"] is { Length: > 0 } image ? image : "postgres:15-bookworm",
            DockerName = section["DockerName"] is { Length: > 0 } name ? name : "leadsapi-dev",
        };
    }

    /// <summary>Starts (or joins) the private database unless a connection string is configured, and configures its connection string.</summary>
    public static async Task<PrivateDatabase> StartIfNeededAsync(IConfiguration configuration, string contentRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
        {
            return new PrivateDatabase(null, null);
        }

        var spec = Spec(configuration, contentRoot);
        var server = await StartAsync(spec, cancellationToken);
        configuration[$"ConnectionStrings:{ConnectionStringName}"] = server.ConnectionString("leads");
        return new PrivateDatabase(server, spec.DataFolder);
    }

    /// <summary>Starts (or joins) the private database of <paramref name="spec"/>; says in one line what to do when nothing can run it.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresLauncher.StartAsync(spec, cancellationToken);
        }
        catch (PostgresUnavailableException e)
        {
            throw new PostgresUnavailableException(
                $"No database ({e.Message}): install the PostgreSQL 15+ server binaries (apt install postgresql) or Docker, or set ConnectionStrings__Leads to an existing database.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
