using Npgsql;

namespace LeadsApi.LocalDatabase;

/// <summary>The two ways <see cref="PostgresLauncher"/> can run a PostgreSQL server.</summary>
public enum PostgresBackend
{
    /// <summary>The PostgreSQL server binaries on this machine (initdb, pg_ctl).</summary>
    LocalBinaries,

    /// <summary>A <c>postgres</c> container, through Testcontainers.</summary>
    Docker,
}

/// <summary>What to start: which back ends in which order, and whether the data persists.</summary>
public sealed record PostgresSpec
{
    /// <summary>The back ends to try, in order; the first one available that starts wins.</summary>
    public required IReadOnlyList<PostgresBackend> Backends { get; init; }

    /// <summary>
    /// Where a persistent server keeps its data and its password: the local binaries' cluster in
    /// <c>postgres/</c> (password in <c>postgres.password</c>), Docker's password in
    /// <c>docker-postgres.password</c> with the data in the volume <see cref="DockerVolume"/>. Null: a
    /// throwaway server, deleted on dispose.
    /// </summary>
    public string? DataFolder { get; init; }

    /// <summary>The prefix of the persistent container's name and volume: <c>{name}-postgres</c>, <c>{name}-pgdata</c>.</summary>
    public string DockerName { get; init; } = "leadsapi-dev";

    /// <summary>The image of the Docker back end.</summary>
    public string Image { get; init; } = "postgres:15-bookworm";

    /// <summary>Server settings, <c>name=value</c>, passed as <c>-c name=value</c>.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    public bool IsPersistent => DataFolder is not null;

    public string DockerContainer => $"{DockerName}-postgres";

    public string DockerVolume => $"{DockerName}-pgdata";
}

/// <summary>
/// A PostgreSQL server on 127.0.0.1 that <see cref="PostgresLauncher"/> started or found running. Disposing
/// it stops the server when it started it (and deletes a throwaway server's data); one it found running
/// keeps running.
/// </summary>
public abstract class PostgresServer(int port, string password, bool startedHere) : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    public int Port => port;

    /// <summary>What runs where, for the start-up banner and the test log.</summary>
    public abstract string Description { get; }

    /// <summary>Whether disposing stops the server: it was started here, and not left running.</summary>
    public bool StopOnDispose { get; private set; } = startedHere;

    /// <summary>A connection string to <paramref name="database"/> as the superuser <c>postgres</c>.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = password,
        Database = database,
    }.ConnectionString;

    /// <summary>Stops the server (open sessions are ended); its data stays.</summary>
    public abstract Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a stopped server again on the same address.</summary>
    public abstract Task StartAgainAsync(CancellationToken cancellationToken = default);

    /// <summary>Leaves the server running when this object is disposed (<c>database start</c>).</summary>
    public void LeaveRunning() => StopOnDispose = false;

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server when <see cref="StopOnDispose"/>; a throwaway one also loses its data.</summary>
    protected abstract ValueTask DisposeAsyncCore();
}

/// <summary>No back end could start PostgreSQL; the message says why, for each one tried.</summary>
public sealed class PostgresUnavailableException(string message) : Exception(message);
