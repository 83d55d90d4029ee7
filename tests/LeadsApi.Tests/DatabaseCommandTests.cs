using System.Diagnostics;
using LeadsApi.LocalDatabase;
using LeadsApi.Tests.Infrastructure;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>
/// `database start|url|stop`, as CI scripts use them: start prints a connection string and leaves the
/// server running, url finds it, stop stops it, and the data is there again at the next start. Once with
/// each back end the machine has; the Docker one on a volume of its own, removed afterwards.
/// </summary>
public sealed class DatabaseCommandTests : IDisposable
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), $"leadsapi-database-{Guid.NewGuid():N}");
    private readonly string _dockerName = $"leadsapi-test-{Guid.NewGuid():N}";

    [Theory]
    [InlineData("local", PostgresBackend.LocalBinaries)]
    [InlineData("docker", PostgresBackend.Docker)]
    public async Task StartUrlStop_KeepTheDataBetweenStarts(string backend, PostgresBackend needs)
    {
        if (PostgresLauncher.Unavailable(needs) is { } missing)
        {
            Console.Error.WriteLine($"DatabaseCommandTests: {backend} back end not tried here: {missing}.");
            return;
        }

        var environment = new Dictionary<string, string?>
        {
            ["LocalDatabase__DataDirectory"] = _dataFolder,
            ["LocalDatabase__Backend"] = backend,
            ["LocalDatabase__DockerName"] = _dockerName,
        };

        var started = await SucceedAsync(environment, "start");
        Assert.Equal(started, await SucceedAsync(environment, "url"));
        Assert.Equal(started, await SucceedAsync(environment, "start"));   // already running: joined
        Assert.Matches(@"\Apostgresql://postgres:[0-9a-f]{32}@127\.0\.0\.1:\d+/leads\z", await SucceedAsync(environment, "url", "--format", "uri"));
        await ExecuteAsync(started, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");

        await SucceedAsync(environment, "stop");
        Assert.Equal(1, (await ServiceProcess.RunAsync(environment, "database", "url")).Exit);
        Assert.Equal("", await SucceedAsync(environment, "stop"));           // not running: nothing to do

        var again = await SucceedAsync(environment, "start");
        Assert.Equal(42, await ExecuteAsync(again, "SELECT id FROM kept"));
        await SucceedAsync(environment, "stop");
    }

    public void Dispose()
    {
        try
        {
            using var removeVolume = Process.Start(new ProcessStartInfo("docker", ["volume", "rm", "-f", $"{_dockerName}-pgdata"])
                { RedirectStandardOutput = true, RedirectStandardError = true });
            removeVolume?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No docker command: the test made no volume.
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task<string> SucceedAsync(Dictionary<string, string?> environment, params string[] command)
    {
        var (exit, output, error) = await ServiceProcess.RunAsync(environment, ["database", .. command]);
        Assert.True(exit == 0, $"database {string.Join(' ', command)} exited {exit}: {error}");
        return output.Trim();
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
