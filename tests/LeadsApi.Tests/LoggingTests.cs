using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using LeadsApi.Hosting;
using LeadsApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace LeadsApi.Tests;

/// <summary>The service with every log event it writes kept in memory, rendered as its sinks would.</summary>
public sealed class LoggedLeadsApiFactory : LeadsApiFactory
{
    public CapturingSink Logs { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILogEventSink>(Logs);
}

public sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Everything written: messages, properties and exceptions.</summary>
    public string AllText() => string.Join('\n', _events.Select(e =>
        $"{e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {string.Join(' ', e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}"));
}

public sealed class LoggingTests(LoggedLeadsApiFactory api) : IClassFixture<LoggedLeadsApiFactory>
{
    [Fact]
    public async Task Requests_AreLoggedWithoutApiKeysOrCustomerContactData()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
        await partner.Admin.GetAsync("/v1/leads?q=Ana%20Silva");
        await api.ClientWithKey("lak_not-a-real-key").GetAsync("/v1/leads");

        var logs = api.Logs.AllText();

        Assert.Contains(api.Logs.Events, e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal)
            && e.Properties["RequestPath"].ToString() == $"\"/v1/leads/{lead.Id()}/accept\"");
        Assert.DoesNotContain(partner.AdminKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(sender.ApiKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("lak_not-a-real-key", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("ana@fabrikam.example", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("+351 21 000 0000", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Silva", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("li@contoso.example", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrelationId_IsEchoedAndCarriedByTheRequestLog()
    {
        var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Correlation-Id", "crm-sync-4711");

        var response = await client.SendAsync(request);

        Assert.Equal("crm-sync-4711", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Contains(api.Logs.Events, e => e.Properties.TryGetValue("CorrelationId", out var id) && id.ToString() == "\"crm-sync-4711\"");
    }

    [Fact]
    public async Task CorrelationId_WhenMissingOrUnsafe_IsGenerated()
    {
        var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "evil\" id with spaces and a very long tail that goes on");

        var response = await client.SendAsync(request);

        var echoed = response.Headers.GetValues("X-Correlation-Id").Single();
        Assert.NotEqual("evil\" id with spaces and a very long tail that goes on", echoed);
        Assert.False(string.IsNullOrWhiteSpace(echoed));
    }
}

/// <summary>
/// The console's format: readable lines on a terminal, compact JSON when standard output is redirected (as
/// here) or in a container, and <c>Logging:Console:Format</c> above both.
/// </summary>
public sealed class ConsoleLogFormatTests
{
    [Theory]
    [InlineData(null, false, true, false, ConsoleLogFormat.Json)]    // redirected
    [InlineData(null, false, false, true, ConsoleLogFormat.Json)]    // a terminal, but in a container
    [InlineData(null, false, false, false, ConsoleLogFormat.Text)]   // a terminal
    [InlineData(null, true, true, true, ConsoleLogFormat.Text)]      // Development, as before
    [InlineData("text", false, true, true, ConsoleLogFormat.Text)]
    [InlineData(" JSON ", true, false, false, ConsoleLogFormat.Json)]
    public void Choice(string? setting, bool development, bool redirected, bool inContainer, ConsoleLogFormat expected) =>
        Assert.Equal(expected, LoggingExtensions.ChooseConsoleFormat(setting, development, redirected, inContainer));

    [Fact]
    public void AnUnknownFormat_IsRefused() =>
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => LoggingExtensions.ChooseConsoleFormat("xml", false, true, false));

    [Fact]
    public void TheTestsOwnOutput_IsRedirected() => Assert.True(Console.IsOutputRedirected);

    [Fact]
    public async Task TheExecutable_Redirected_LogsJson_AndTextWhenAskedFor_OnStandardErrorForACommand()
    {
        var file = Path.Combine(Path.GetTempPath(), $"leadsapi-openapi-{Guid.NewGuid():N}.json");
        try
        {
            var json = await ServiceProcess.RunAsync(new Dictionary<string, string?>(), "openapi", file);
            var text = await ServiceProcess.RunAsync(new Dictionary<string, string?> { ["Logging__Console__Format"] = "text" }, "openapi", file);

            Assert.Equal(0, json.Exit);
            Assert.Empty(json.Output);
            Assert.Contains("""{"@t":""", json.Error, StringComparison.Ordinal);
            Assert.Contains("\"@mt\":\"Now listening on: {address}\"", json.Error, StringComparison.Ordinal);
            Assert.Equal(0, text.Exit);
            Assert.Empty(text.Output);
            Assert.Matches(@"\[\d\d:\d\d:\d\d INF\] Now listening on: http://127\.0\.0\.1:\d+", text.Error);
            Assert.DoesNotContain("\"@t\"", text.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
