using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// The private database in a <c>postgres:15-bookworm</c> container, for machines without the server
/// binaries. Its data lives in a named Docker volume, so it survives restarts like the local cluster.
/// </summary>
public sealed class DockerPostgres : IAsyncDisposable
{
    private const string ContainerName = "leadsapi-dev-postgres";
    private const string Volume = "leadsapi-dev-pgdata";
    private readonly bool _startedHere;

    private DockerPostgres(string connectionString, bool startedHere)
    {
        ConnectionString = connectionString;
        _startedHere = startedHere;
    }

    public string ConnectionString { get; }

    public static bool IsAvailable() => Run(["info", "--format", "{{.ServerVersion}}"], out _) == 0;

    public static async Task<DockerPostgres> StartAsync(string passwordFile, string image, CancellationToken cancellationToken)
    {
        if (!File.Exists(passwordFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(passwordFile)!);
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        var startedHere = Run(["inspect", "-f", "{{.State.Running}}", ContainerName], out var running) != 0 || running.Trim() != "true";
        if (startedHere)
        {
            Run(["rm", "-f", ContainerName], out _);
            if (Run(["run", "-d", "--rm", "--name", ContainerName, "-e", $"POSTGRES_PASSWORD={password}", "-e", "POSTGRES_DB=leads",
                    "-v", $"{Volume}:/var/lib/postgresql/data", "-p", "127.0.0.1::5432", image], out var error) != 0)
            {
                throw new InvalidOperationException($"docker run {image} failed: {error}");
            }
        }

        Run(["port", ContainerName, "5432/tcp"], out var mapping);
        var port = int.Parse(mapping.Trim().Split('\n')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Password = password, Database = "leads",
        }.ConnectionString;
        await WaitUntilReadyAsync(connectionString, cancellationToken);
        return new DockerPostgres(connectionString, startedHere);
    }

    public ValueTask DisposeAsync()
    {
        if (_startedHere)
        {
            NpgsqlConnection.ClearAllPools();
            Run(["stop", ContainerName], out _);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task WaitUntilReadyAsync(string connectionString, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException && attempt < 120)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static int Run(string[] arguments, out string output)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            output = process.ExitCode == 0 ? stdout.Result : stderr;
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            output = "docker is not installed";
            return -1;
        }
    }
}
