using System.CommandLine;
using LeadsApi.Hosting;
using Npgsql;

namespace LeadsApi.LocalDatabase;

/// <summary>
/// <c>LeadsApi database start|stop|url</c>: the private database (the one `dotnet run` uses, as the
/// <c>LocalDatabase</c> settings describe it) for scripts. Standard output carries only the connection string
/// (Npgsql's form, or with <c>--format uri</c> a <c>postgresql://</c> URI for psql);
/// what was started or found goes to standard error. <c>ConnectionStrings:Leads</c> plays no part here.
/// </summary>
public static class DatabaseCommands
{
    public static Command Create(ComposeApp compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var startFormat = FormatOption();
        var start = new Command("start", "Starts the private database, or finds it running, and leaves it running; prints its connection string.") { startFormat };
        start.SetAction((parsed, cancellationToken) => RunAsync(compose, async spec =>
        {
            await using var server = await PrivateDatabase.StartAsync(spec, cancellationToken);
            server.LeaveRunning();
            return await PrintAsync(server, parsed.GetRequiredValue(startFormat));
        }));

        var urlFormat = FormatOption();
        var url = new Command("url", "Prints the connection string of the running private database; exit code 1 when it is not running.") { urlFormat };
        url.SetAction((parsed, cancellationToken) => RunAsync(compose, async spec =>
            await PostgresLauncher.FindRunningAsync(spec, cancellationToken) is { } server
                ? await PrintAsync(server, parsed.GetRequiredValue(urlFormat))
                : throw new CommandFailedException($"The private database ({spec.DataFolder}) is not running: start it with `database start`.")));

        var stop = new Command("stop", "Stops the private database if it runs; its data stays for the next start.");
        stop.SetAction((_, cancellationToken) => RunAsync(compose, async spec =>
        {
            if (await PostgresLauncher.FindRunningAsync(spec, cancellationToken) is not { } server)
            {
                await Console.Error.WriteLineAsync($"The private database ({spec.DataFolder}) is not running.");
                return 0;
            }

            await server.StopAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"Stopped {server.Description}.");
            return 0;
        }));

        return new Command("database", "The private PostgreSQL of `dotnet run` (local binaries, else Docker), for scripts.") { start, url, stop };
    }

    private static async Task<int> RunAsync(ComposeApp compose, Func<PostgresSpec, Task<int>> command)
    {
        await using var app = compose([], builder => builder.LogToStandardError());
        return await command(PrivateDatabase.Spec(app.Configuration, app.Environment.ContentRootPath));
    }

    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format")
        {
            Description = "npgsql: for ConnectionStrings__Leads; uri: postgresql://... for psql and pg_dump",
            DefaultValueFactory = _ => "npgsql",
        };
        return format.AcceptOnlyFromAmong("npgsql", "uri");
    }

    private static async Task<int> PrintAsync(PostgresServer server, string format)
    {
        await Console.Error.WriteLineAsync(server.Description);
        var connectionString = server.ConnectionString("leads");
        if (format == "uri")
        {
            var parts = new NpgsqlConnectionStringBuilder(connectionString);
            connectionString = $"postgresql://{Uri.EscapeDataString(parts.Username!)}:{Uri.EscapeDataString(parts.Password!)}@{parts.Host}:{parts.Port}/{Uri.EscapeDataString(parts.Database!)}";
        }

        await Console.Out.WriteLineAsync(connectionString);
        return 0;
    }
}
