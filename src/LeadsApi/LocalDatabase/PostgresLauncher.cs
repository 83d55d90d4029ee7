namespace LeadsApi.LocalDatabase;

/// <summary>
/// The one way this repository starts PostgreSQL: the run command and the admin commands (through
/// <see cref="PrivateDatabase"/>), the <c>database</c> command that CI scripts use, and the tests' shared and
/// stoppable servers. Two back ends: the local server binaries (<see cref="LocalPostgresCluster"/>) and
/// Docker through Testcontainers (<see cref="PostgresContainer"/>).
/// </summary>
public static class PostgresLauncher
{
    /// <summary>
    /// The persistent server of <paramref name="spec"/> when it already runs (joined, left running on
    /// dispose), else a server started with the first back end that is available and starts.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (await FindRunningAsync(spec, cancellationToken) is { } running)
        {
            return running;
        }

        var reasons = new List<string>();
        foreach (var backend in spec.Backends)
        {
            if (Unavailable(backend) is { } reason)
            {
                reasons.Add(reason);
                continue;
            }

            try
            {
                return backend switch
                {
                    PostgresBackend.LocalBinaries => await LocalPostgresCluster.StartAsync(spec, cancellationToken),
                    _ => await PostgresContainer.StartAsync(spec, cancellationToken),
                };
            }
            catch (Exception e) when (e is not OperationCanceledException && backend != spec.Backends[^1])
            {
                await Console.Error.WriteLineAsync($"PostgreSQL from {Name(backend)} did not start ({e.Message}); trying the next way.");
                reasons.Add($"{Name(backend)} failed: {e.Message}");
            }
        }

        throw new PostgresUnavailableException(string.Join("; ", reasons));
    }

    /// <summary>The persistent server of <paramref name="spec"/> when one of its back ends runs it, else null.</summary>
    public static async Task<PostgresServer?> FindRunningAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.IsPersistent)
        {
            return null;
        }

        foreach (var backend in spec.Backends.Where(b => Unavailable(b) is null))
        {
            PostgresServer? running = backend switch
            {
                PostgresBackend.LocalBinaries => await LocalPostgresCluster.FindRunningAsync(spec, cancellationToken),
                _ => await PostgresContainer.FindRunningAsync(spec, cancellationToken),
            };
            if (running is not null)
            {
                return running;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="backend"/> cannot run here, or null when it can.</summary>
    public static string? Unavailable(PostgresBackend backend) => backend switch
    {
        PostgresBackend.LocalBinaries => LocalPostgresCluster.FindBinaries() is null ? "no PostgreSQL server binaries (initdb, pg_ctl)" : null,
        _ => PostgresContainer.DockerAnswers() ? null : "no Docker daemon answers",
    };

    private static string Name(PostgresBackend backend) => backend == PostgresBackend.LocalBinaries ? "the local binaries" : "Docker";
}
