using System.CommandLine;
using LeadsApi.LocalDatabase;
using Microsoft.Extensions.Options;

namespace LeadsApi.Hosting;

/// <summary>
/// Composes the app (<c>Program.ComposeApp</c>): every service, options validation included, the middleware
/// and the endpoints. The service and every command that needs the app build it through this one function;
/// <paramref name="adjust"/> runs on the builder first (say, to send log lines to standard error).
/// </summary>
public delegate WebApplication ComposeApp(string[] args, Action<WebApplicationBuilder>? adjust = null);

/// <summary>A command that failed for a reason its message tells: exit code 1, the message on standard error.</summary>
public sealed class CommandFailedException(string message) : Exception(message);

/// <summary>Runs the command line: exit code 0 on success, 1 on a failure, 2 on a usage error (with the usage, on standard error).</summary>
public static class LeadsCommandLine
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        var usageError = parsed.Errors.Count > 0;
        var configuration = new InvocationConfiguration
        {
            // Exceptions keep their meaning for whoever runs the entry point (the test host, EF's tools).
            EnableDefaultExceptionHandler = false,
            // The web host handles Ctrl+C itself, and stops the private database after it has stopped.
            ProcessTerminationTimeout = null,
            Output = usageError ? Console.Error : Console.Out,
        };
        try
        {
            var exitCode = await parsed.InvokeAsync(configuration);
            return usageError ? 2 : exitCode;
        }
        catch (Exception e) when (e is CommandFailedException or PostgresUnavailableException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>
    /// What the service takes on its command line: the host's own settings (<c>--urls http://...</c>,
    /// <c>--Leads:ResponseWindow=00:00:05</c>), as before there were commands. Anything else is a usage error.
    /// </summary>
    public static Argument<string[]> HostSettings()
    {
        var settings = new Argument<string[]>("host-settings")
        {
            Arity = ArgumentArity.ZeroOrMore,
            // Help would show it in every command's usage; the root command's description names it instead.
            Hidden = true,
        };
        settings.Validators.Add(result =>
        {
            if (result.Tokens is [var first, ..] && !first.Value.StartsWith('-') && !first.Value.StartsWith('/') && !first.Value.Contains('=', StringComparison.Ordinal))
            {
                result.AddError($"Unrecognized command or argument '{first.Value}'.");
            }
        });
        return settings;
    }
}
