using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// The README's run command as a new user meets it: no connection string, so the service starts a
/// private PostgreSQL under its data folder, seeds the demo partner once, prints keys that work, and
/// stops the database on Ctrl+C, keeping the data for the next start.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Views = ["marketplace", "qualified"];
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), $"leadsapi-run-{Guid.NewGuid():N}");

    [Fact]
    public async Task Run_WithoutAConnectionString_StartsAPrivateDatabaseSeedsOnceAndStopsItOnCtrlC()
    {
        var environment = new Dictionary<string, string?> { ["LocalDatabase__DataDirectory"] = _dataFolder };

        string firstKey;
        int firstTotal;
        await using (var service = ServiceProcess.Start(environment))
        {
            firstKey = Export(await service.WaitForLineAsync(l => l.StartsWith("export PARTNER_KEY=", StringComparison.Ordinal), StartTimeout));
            Assert.Contains("export SENDER_KEY=lak_", service.Output, StringComparison.Ordinal);
            Assert.Contains("export PLATFORM_KEY=lak_", service.Output, StringComparison.Ordinal);
            Assert.Contains($"Swagger UI:  http://127.0.0.1:{service.Port}/swagger", service.Output, StringComparison.Ordinal);
            firstTotal = await CountLeadsAsync(service, firstKey);
            Assert.Equal(10, firstTotal);

            Assert.Equal(0, await service.InterruptAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.False(File.Exists(Path.Combine(_dataFolder, "postgres", "postmaster.pid")), "Ctrl+C should stop the private PostgreSQL");
        Assert.True(File.Exists(Path.Combine(_dataFolder, "postgres", "PG_VERSION")), "the data folder should stay for the next start");

        await using (var again = ServiceProcess.Start(environment))
        {
            var key = Export(await again.WaitForLineAsync(l => l.StartsWith("export PARTNER_KEY=", StringComparison.Ordinal), StartTimeout));
            Assert.Equal(firstKey, key);
            Assert.Equal(firstTotal, await CountLeadsAsync(again, key));
            await again.InterruptAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task RequestBody_LargerThan64KiB_Is413ProblemOnTheRealServer()
    {
        var environment = new Dictionary<string, string?> { ["LocalDatabase__DataDirectory"] = _dataFolder, ["Demo__Seed"] = "false" };
        await using var service = ServiceProcess.Start(environment);
        await service.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), StartTimeout);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        var huge = "{\"need\":\"" + new string('x', 100_000) + "\"}";
        var response = await client.PostAsync("/v1/leads", new StringContent(huge, Encoding.UTF8, "application/json"));

        // Unauthenticated callers are turned away before the body is read; an authenticated sender is not.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var keys = await RunAdminAsync(environment, "create-sender", "--name", "Big");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys);
        var tooLarge = await client.PostAsync("/v1/leads", new StringContent(huge, Encoding.UTF8, "application/json"));
        await tooLarge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        await service.InterruptAsync(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task<string> RunAdminAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        await using var admin = ServiceProcess.Start(environment, ["admin", .. arguments]);
        var json = await admin.WaitForLineAsync(l => l.StartsWith('{'), StartTimeout);
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("apiKey").GetString()!;
    }

    private static string Export(string line) => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];

    private static async Task<int> CountLeadsAsync(ServiceProcess service, string key)
    {
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var summary = await client.GetJsonAsync("/v1/leads/summary");
        return Views.SelectMany(view => summary.GetProperty(view).EnumerateObject())
            .Sum(stage => stage.Value.GetInt32());
    }
}
