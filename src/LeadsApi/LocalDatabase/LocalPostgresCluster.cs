using System.Diagnostics;
using Npgsql;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// The local-binaries back end of <see cref="PostgresLauncher"/>: a PostgreSQL cluster of our own on
/// 127.0.0.1 and a free port. A persistent one lives in <c>{DataFolder}/postgres</c> and is kept between
/// runs; a throwaway one lives in the temp folder and is deleted on dispose. PostgreSQL refuses to run as
/// root, so as root the binaries run as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresCluster : PostgresServer
{
    private static readonly string[] AsServiceUser = Environment.UserName == "root" ? ["runuser", "-u", SuperUser, "--"] : [];
    private readonly string _dataDirectory;
    private readonly string _binaries;
    private readonly IReadOnlyList<string> _settings;
    private readonly bool _throwaway;

    private LocalPostgresCluster(string dataDirectory, string binaries, IReadOnlyList<string> settings, int port, string password, bool throwaway, bool startedHere)
        : base(port, password, startedHere)
    {
        _dataDirectory = dataDirectory;
        _binaries = binaries;
        _settings = settings;
        _throwaway = throwaway;
    }

    public override string Description => _throwaway
        ? $"local PostgreSQL binaries (throwaway cluster on 127.0.0.1:{Port})"
        : $"PostgreSQL from local binaries on 127.0.0.1:{Port}, data in {_dataDirectory}";

    /// <summary>The folder holding the PostgreSQL server binaries (initdb, pg_ctl), or null when there are none.</summary>
    public static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    /// <summary>Starts the cluster of <paramref name="spec"/>, creating it on first use, with a <c>leads</c> database.</summary>
    internal static async Task<LocalPostgresCluster> StartAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        var dataDirectory = spec.DataFolder is { } folder
            ? DataDirectory(folder)
            : Path.Combine(Path.GetTempPath(), $"leadsapi-postgres-{Guid.NewGuid():N}");
        var binaries = FindBinaries() ?? throw new InvalidOperationException("No PostgreSQL server binaries (initdb, pg_ctl) found.");
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(dataDirectory, binaries, cancellationToken);
        }

        var password = await PasswordFile.ReadOrCreateAsync(PasswordPath(dataDirectory), cancellationToken);
        var cluster = new LocalPostgresCluster(dataDirectory, binaries, spec.Settings, LoopbackPort.Free(), password, throwaway: !spec.IsPersistent, startedHere: true);
        await cluster.StartAgainAsync(cancellationToken);
        await cluster.CreateDatabaseAsync("leads", cancellationToken);
        return cluster;
    }

    /// <summary>The persistent cluster of <paramref name="spec"/> when another process of ours runs it, else null.</summary>
    internal static async Task<LocalPostgresCluster?> FindRunningAsync(PostgresSpec spec, CancellationToken cancellationToken)
    {
        var dataDirectory = DataDirectory(spec.DataFolder!);
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        // postmaster.pid: line 4 holds the port.
        if (FindBinaries() is not { } binaries || !File.Exists(pidFile)
            || File.ReadAllLines(pidFile) is not [_, _, _, var portLine, ..] || !int.TryParse(portLine, out var port))
        {
            return null;
        }

        var cluster = new LocalPostgresCluster(dataDirectory, binaries, spec.Settings, port, await PasswordFile.ReadOrCreateAsync(PasswordPath(dataDirectory), cancellationToken), throwaway: false, startedHere: false);
        return await cluster.PgCtlAsync(["status", "-D", dataDirectory], cancellationToken, throwOnError: false) == 0 ? cluster : null;
    }

    public override Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var options = string.Join(' ', _settings.Select(s => $"-c {s}").Prepend($"-p {Port}"));
        return PgCtlAsync(["start", "-w", "-t", "60", "-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-o", options], cancellationToken);
    }

    /// <summary>Fast shutdown: open sessions are ended; the data folder stays.</summary>
    public override Task StopAsync(CancellationToken cancellationToken = default) =>
        PgCtlAsync(["stop", "-D", _dataDirectory, "-m", "fast", "-w"], cancellationToken, throwOnError: false);

    protected override async ValueTask DisposeAsyncCore()
    {
        if (StopOnDispose)
        {
            NpgsqlConnection.ClearAllPools();
            await StopAsync();
        }

        if (_throwaway)
        {
            TryDelete(_dataDirectory);
            TryDelete(PasswordPath(_dataDirectory));
        }
    }

    private static string DataDirectory(string dataFolder) => Path.Combine(Path.GetFullPath(dataFolder), "postgres");

    private static string PasswordPath(string dataDirectory) => dataDirectory + ".password";

    /// <summary>Creates a database unless it exists.</summary>
    private async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        // Unpooled: a one-off connection, never an idle one left from before a restart.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InitializeAsync(string dataDirectory, string binaries, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var password = await PasswordFile.ReadOrCreateAsync(PasswordPath(dataDirectory), cancellationToken);

        // initdb reads the password from a file the service user can read; it lives only for this call.
        var initPassword = Path.Combine(Path.GetTempPath(), $"leadsapi-initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(initPassword, password, cancellationToken);
        try
        {
            if (AsServiceUser.Length > 0)
            {
                await RunAsync([], "chown", [$"{SuperUser}:{SuperUser}", dataDirectory, initPassword], cancellationToken);
            }

            OwnerOnly.Restrict(dataDirectory);
            await RunAsync(AsServiceUser, Path.Combine(binaries, "initdb"),
                ["-D", dataDirectory, "-U", SuperUser, "-A", "scram-sha-256", $"--pwfile={initPassword}", "-E", "UTF8", "--no-locale"],
                cancellationToken);
        }
        finally
        {
            File.Delete(initPassword);
        }

        // Loopback only, no Unix socket (its default folder may not be writable), room for parallel tests.
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), """

            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = 200
            """, cancellationToken);
    }

    private Task<int> PgCtlAsync(string[] arguments, CancellationToken cancellationToken, bool throwOnError = true) =>
        RunAsync(AsServiceUser, Path.Combine(_binaries, "pg_ctl"), arguments, cancellationToken, throwOnError);

    private static async Task<int> RunAsync(string[] prefix, string program, string[] arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in prefix.Skip(1).Concat(prefix.Length > 0 ? [program] : []).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
        }

        return process.ExitCode;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // A throwaway folder in the temp directory; leaving it is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
