using System.CommandLine;

namespace LeadsApi.Hosting;

/// <summary>
/// <c>dotnet LeadsApi.dll health [url]</c>: the container's HEALTHCHECK. Microsoft's aspnet images
/// carry no curl or wget (and chiseled ones no shell), so the probe is the app itself: one GET to
/// <c>http://127.0.0.1:8080/health/live</c> (or the given url), exit 0 on a 2xx, else 1. It builds
/// no host and reads no configuration, so it starts in a fraction of a second.
/// </summary>
public static class HealthProbe
{
    public const string DefaultUrl = "http://127.0.0.1:8080/health/live";

    public static Command Create()
    {
        var url = new Argument<Uri>("url")
        {
            Description = "the address to GET",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => new Uri(DefaultUrl),
            CustomParser = result =>
            {
                if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var parsed))
                {
                    return parsed;
                }

                result.AddError($"'{result.Tokens.Single().Value}' is not an absolute URL.");
                return null;
            },
        };
        var command = new Command("health", "Probes a running service: one GET, exit 0 on a 2xx answer, else 1 (the image's HEALTHCHECK).") { url };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetRequiredValue(url), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            await Console.Out.WriteLineAsync($"{url} {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url} {e.Message}");
            return 1;
        }
    }
}
