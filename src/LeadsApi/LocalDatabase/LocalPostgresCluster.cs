using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// A PostgreSQL cluster of our own, from the server binaries on this machine, on 127.0.0.1 and a free
/// port. The run command keeps its data folder between runs; the tests throw theirs away. PostgreSQL
/// refuses to run as root, so as root the binaries run as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly string _dataDirectory;
    private readonly string[] _asServiceUser;
    private readonly string _binaries;
    private readonly bool _startedHere;
    private readonly bool _deleteOnDispose;

    private LocalPostgresCluster(string dataDirectory, string binaries, string[] asServiceUser, int port, string password, bool startedHere, bool deleteOnDispose)
    {
        _dataDirectory = dataDirectory;
        _binaries = binaries;
        _asServiceUser = asServiceUser;
        _startedHere = startedHere;
        _deleteOnDispose = deleteOnDispose;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    private string Password { get; }

    /// <summary>A connection string to <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    /// <summary>The folder holding the PostgreSQL server binaries (initdb, pg_ctl), or null when there are none.</summary>
    public static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    /// <summary>
    /// Starts the cluster in <paramref name="dataDirectory"/>, creating it on first use; when it is
    /// already running (another process of ours started it) joins it and leaves it running on dispose.
    /// </summary>
    public static Task<LocalPostgresCluster> StartAsync(string dataDirectory, bool deleteOnDispose, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, deleteOnDispose, port: null, cancellationToken);

    /// <summary>As above, listening on <paramref name="port"/> (a free one when null), so a restart keeps its address.</summary>
    public static async Task<LocalPostgresCluster> StartAsync(string dataDirectory, bool deleteOnDispose, int? port, CancellationToken cancellationToken)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException("No PostgreSQL server binaries (initdb, pg_ctl) found.");
        dataDirectory = Path.GetFullPath(dataDirectory);
        string[] asServiceUser = Environment.UserName == "root" ? ["runuser", "-u", SuperUser, "--"] : [];
        var passwordFile = dataDirectory + ".password";

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(dataDirectory, binaries, asServiceUser, passwordFile, cancellationToken);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        if (RunningPort(dataDirectory) is { } runningPort
            && await RunAsync(asServiceUser, Path.Combine(binaries, "pg_ctl"), ["status", "-D", dataDirectory], cancellationToken, throwOnError: false) == 0)
        {
            return new LocalPostgresCluster(dataDirectory, binaries, asServiceUser, runningPort, password, startedHere: false, deleteOnDispose);
        }

        var listenPort = port ?? FreePort();
        await RunAsync(asServiceUser, Path.Combine(binaries, "pg_ctl"),
            ["start", "-w", "-t", "60", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-o", $"-p {listenPort}"],
            cancellationToken);
        var cluster = new LocalPostgresCluster(dataDirectory, binaries, asServiceUser, listenPort, password, startedHere: true, deleteOnDispose);
        await cluster.CreateDatabaseAsync("leads", cancellationToken);
        return cluster;
    }

    /// <summary>Creates a database unless it exists.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
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

    /// <summary>Stops the server (fast shutdown: open sessions are ended); the data folder stays.</summary>
    public async Task StopAsync() =>
        await RunAsync(_asServiceUser, Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", _dataDirectory, "-m", "fast", "-w"], CancellationToken.None, throwOnError: false);

    public async ValueTask DisposeAsync()
    {
        if (_startedHere)
        {
            NpgsqlConnection.ClearAllPools();
            await StopAsync();
        }

        if (_deleteOnDispose)
        {
            TryDelete(_dataDirectory);
            TryDelete(_dataDirectory + ".password");
        }
    }

    private static async Task InitializeAsync(string dataDirectory, string binaries, string[] asServiceUser, string passwordFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        OwnerOnly.Restrict(passwordFile);

        // initdb reads the password from a file the service user can read; it lives only for this call.
        var initPassword = Path.Combine(Path.GetTempPath(), $"leadsapi-initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(initPassword, password, cancellationToken);
        try
        {
            if (asServiceUser.Length > 0)
            {
                await RunAsync([], "chown", [$"{SuperUser}:{SuperUser}", dataDirectory, initPassword], cancellationToken);
            }

            OwnerOnly.Restrict(dataDirectory);
            await RunAsync(asServiceUser, Path.Combine(binaries, "initdb"),
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

    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        // postmaster.pid: line 4 holds the port.
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
