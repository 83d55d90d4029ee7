using System.Diagnostics;
using System.Text.RegularExpressions;
using Serilog;
using Microsoft.Extensions.Options;
using Serilog.Context;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;

namespace LeadsApi.Hosting;

public static partial class LoggingExtensions
{
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ConsoleFormatSetting = "Logging:Console:Format";
    private const string StandardErrorKey = "LeadsApi.LogToStandardError";

    /// <summary>
    /// Serilog on the console: readable lines or compact JSON, as <see cref="ChooseConsoleFormat"/> decides.
    /// Request logs carry method, path (never the query string, which may hold customer names), status and
    /// timing; no headers, no bodies.
    /// </summary>
    public static IHostApplicationBuilder AddLeadsLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var format = ChooseConsoleFormat(
            builder.Configuration[ConsoleFormatSetting],
            builder.Environment.IsDevelopment(),
            Console.IsOutputRedirected,
            string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase));
        // A command's standard output is its result; its log lines go to standard error.
        var standardErrorFrom = builder.Properties.ContainsKey(StandardErrorKey) ? LogEventLevel.Verbose : (LogEventLevel?)null;
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                .Enrich.FromLogContext();
            if (format == ConsoleLogFormat.Text)
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {CorrelationId}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                    standardErrorFromLevel: standardErrorFrom,
                    theme: AnsiConsoleTheme.Code);
            }
            else
            {
                logger.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: standardErrorFrom);
            }
        },
        // Each host keeps its own logger; the static Log.Logger would be shared by every host in a process.
        preserveStaticLogger: true);
        return builder;
    }

    /// <summary>Sends every log line of this app to standard error: for commands, whose standard output is their result.</summary>
    public static TBuilder LogToStandardError<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Properties[StandardErrorKey] = true;
        return builder;
    }

    /// <summary>
    /// The console's log format: <c>Logging:Console:Format</c> (<c>json</c> or <c>text</c>) when set; else readable
    /// text in Development or when standard output is a terminal outside a container; else compact JSON, for
    /// whatever reads redirected output (a log collector, a container runtime, a test).
    /// </summary>
    public static ConsoleLogFormat ChooseConsoleFormat(string? setting, bool development, bool outputRedirected, bool inContainer) =>
        setting?.Trim().ToUpperInvariant() switch
        {
            "JSON" => ConsoleLogFormat.Json,
            "TEXT" => ConsoleLogFormat.Text,
            null or "" => development || (!outputRedirected && !inContainer) ? ConsoleLogFormat.Text : ConsoleLogFormat.Json,
            _ => throw new OptionsValidationException(ConsoleFormatSetting, typeof(ConsoleLogFormat), [$"{ConsoleFormatSetting} must be json or text (got '{setting}')."]),
        };

    public static WebApplication UseLeadsRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var correlationId = CorrelationIdOf(context);
            // Set as the response starts: the exception handler clears every header before it writes a problem.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
                return Task.CompletedTask;
            });
            using (LogContext.PushProperty("CorrelationId", correlationId))
            {
                await next(context);
            }
        });
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            // This host's logger, not the static one (which another host in the same process may have replaced).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        return app;
    }

    /// <summary>
    /// The client's own id when it sent a safe one; else the W3C trace id, which is the one of an incoming
    /// <c>traceparent</c> when there is one (ASP.NET Core continues that trace) and Serilog writes with every event.
    /// </summary>
    private static string CorrelationIdOf(HttpContext context)
    {
        var sent = context.Request.Headers[CorrelationHeader].ToString();
        if (SafeCorrelationId().IsMatch(sent))
        {
            return sent;
        }

        return Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : context.TraceIdentifier;
    }

    /// <summary>A client's correlation id is echoed only when it is short and plain, so logs cannot be forged (\z: $ would let a final line break through).</summary>
    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex SafeCorrelationId();
}

/// <summary>How the console sink writes: readable lines for a person, compact JSON for a machine.</summary>
public enum ConsoleLogFormat
{
    Json,
    Text,
}
