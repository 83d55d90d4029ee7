using System.CommandLine;
using System.Globalization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace LeadsApi.Hosting;

/// <summary>
/// Writes the OpenAPI document the running service would serve, without a database:
/// <c>dotnet run --project src/LeadsApi -- openapi</c> rewrites openapi/leads-api.v1.json, or
/// <c>-- openapi &lt;file&gt;</c> writes elsewhere. The contract test compares the same output with the
/// checked-in file.
/// </summary>
public static class OpenApiExport
{
    public const string CheckedInPath = "openapi/leads-api.v1.json";

    public static Command Create(ComposeApp compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var path = new Argument<string?>("path")
        {
            Description = $"the file to write (default: {CheckedInPath} in this repository)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("openapi", "Writes the OpenAPI document the service serves, without a database.") { path };
        command.SetAction(parsed => WriteAsync(compose, parsed.GetValue(path)));
        return command;
    }

    /// <summary>
    /// Minimal APIs hand their endpoints to the API explorer only when the app starts, so the export
    /// starts it: on a free loopback port, without the expiry sweep, and never touching a database.
    /// </summary>
    private static async Task<int> WriteAsync(ComposeApp compose, string? path)
    {
        await using var app = compose([], builder =>
        {
            builder.LogToStandardError();
            builder.Configuration["Leads:ExpirySweepEnabled"] = "false";
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        var json = Render(app.Services);
        await app.StopAsync();

        path = path is not null
            ? Path.GetFullPath(path)
            : Path.Combine(
                RepositoryPaths.Root(app.Environment.ContentRootPath) ?? throw new CommandFailedException("Run from the repository, or name the output file."),
                CheckedInPath);
        await File.WriteAllTextAsync(path, json);
        await Console.Error.WriteLineAsync($"Wrote {path}");
        return 0;
    }

    /// <summary>
    /// The v1 document as OpenAPI 3.1 JSON. 3.1 can say "this deal, or null" (oneOf [ref, null]), which 3.0
    /// cannot say so that a validator agrees; openapi-typescript and NSwag both read it without loss.
    /// </summary>
    public static string Render(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger(OpenApiExtensions.DocumentName);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }
}
