using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;
using LeadsApi.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadsApi.Tests;

/// <summary>The service as deployed (https and public addresses only), with a DNS the test controls.</summary>
public sealed class GuardedWebhooksApiFactory : LeadsApiFactory
{
    public TestWebhookDns Dns { get; } = new TestWebhookDns()
        .Answers("crm.example.com", ["93.184.215.14"])
        .Answers("intranet.example.com", ["10.1.2.3"])
        .Answers("mixed.example.com", ["93.184.215.14", "192.168.0.7"]);

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<IWebhookDns>();
        services.AddSingleton<IWebhookDns>(Dns);
    }
}

public sealed class WebhookSubscriptionTests(GuardedWebhooksApiFactory api) : IClassFixture<GuardedWebhooksApiFactory>
{
    private const string Public = "https://crm.example.com/hooks/leads";
    private static readonly string[] AcceptedAndExpiring = ["lead.accepted", "lead.expiring"];

    [Theory]
    [InlineData("http://crm.example.com/hooks", "https")]
    [InlineData("https://127.0.0.1/hooks", "loopback")]
    [InlineData("https://localhost/hooks", "")]
    [InlineData("https://10.0.0.5/hooks", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "")]
    [InlineData("https://[::1]/hooks", "loopback")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks", "")]
    [InlineData("https://intranet.example.com/hooks", "10.1.2.3")]
    [InlineData("https://mixed.example.com/hooks", "192.168.0.7")]
    [InlineData("not a url", "absolute")]
    public async Task AUrlThatIsNotHttpsToAPublicAddress_IsRefused_NamingUrl_AndNothingIsCreated(string url, string reason)
    {
        var partner = await api.NewPartnerAsync();

        var problem = await (await partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url })).ShouldFailValidationAsync("url");

        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await partner.Admin.GetJsonAsync("/v1/webhooks")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task APartnerAdmin_ManagesThePartnersWebhooks_TheSecretIsShownOnce()
    {
        var partner = await api.NewPartnerAsync();
        var created = await (await partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url = Public, eventTypes = AcceptedAndExpiring, description = "CRM" }))
            .ShouldBeAsync(HttpStatusCode.Created);
        Assert.True(WebhookSecret.IsWellFormed(created.Str("secret")));
        Assert.True(created.GetProperty("enabled").GetBoolean());

        var read = await partner.Admin.GetJsonAsync($"/v1/webhooks/{created.Id()}");
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Equal(["lead.accepted", "lead.expiring"], read.Strings("eventTypes"));
        Assert.Equal(0, read.GetProperty("pendingDeliveries").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("lastFailure").ValueKind);

        var patched = await (await partner.Admin.PatchJsonAsync($"/v1/webhooks/{created.Id()}", """{"eventTypes":[],"description":null,"enabled":false}"""))
            .ShouldBeAsync(HttpStatusCode.OK);
        Assert.Empty(patched.Strings("eventTypes"));
        Assert.False(patched.GetProperty("enabled").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("description").ValueKind);
        Assert.Equal(Public, patched.Str("url"));

        Assert.Single((await partner.Admin.GetJsonAsync("/v1/webhooks")).GetProperty("items").EnumerateArray());
        await (await partner.Admin.DeleteAsync($"/v1/webhooks/{created.Id()}")).ShouldBeAsync(HttpStatusCode.NoContent);
        await (await partner.Admin.GetAsync($"/v1/webhooks/{created.Id()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
    }

    [Fact]
    public async Task AnotherOwnersWebhook_IsNotFound_AndOnlyAdminsAndSendersManageWebhooks()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var sender = await api.NewSenderAsync();
        var created = await (await partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url = Public })).ShouldBeAsync(HttpStatusCode.Created);
        var path = $"/v1/webhooks/{created.Id()}";

        foreach (var stranger in new[] { other.Admin, sender.Client })
        {
            await (await stranger.GetAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
            await (await stranger.PatchJsonAsync(path, """{"enabled":false}""")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
            await (await stranger.DeleteAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
            await (await stranger.PostAsync($"{path}/test", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
            Assert.Empty((await stranger.GetJsonAsync("/v1/webhooks")).GetProperty("items").EnumerateArray());
        }

        await (await partner.Reader.GetAsync("/v1/webhooks")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await partner.ReferralsAdmin.PostAsJsonAsync("/v1/webhooks", new { url = Public })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.True((await partner.Admin.GetJsonAsync(path)).GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("""{"url":"https://crm.example.com/h","eventTypes":["lead.nope"]}""", "eventTypes[0]")]
    [InlineData("""{"url":"https://crm.example.com/h","eventTypes":["lead.won","lead.won"]}""", "eventTypes[1]")]
    [InlineData("""{"url":"https://crm.example.com/h","secret":"whsec_mine"}""", "secret")]
    [InlineData("""{"eventTypes":[]}""", "url")]
    public async Task ABadBody_IsAValidationProblem_NamingTheField(string body, string field)
    {
        var partner = await api.NewPartnerAsync();

        await (await partner.Admin.PostJsonAsync("/v1/webhooks", body)).ShouldFailValidationAsync(field);
    }

    [Fact]
    public async Task AReplay_NeedsASinceWithinTheRetention()
    {
        var partner = await api.NewPartnerAsync();
        var created = await (await partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url = Public })).ShouldBeAsync(HttpStatusCode.Created);

        await (await partner.Admin.PostAsync($"/v1/webhooks/{created.Id()}/replay", null)).ShouldFailValidationAsync("since");
        await (await partner.Admin.PostAsync($"/v1/webhooks/{created.Id()}/replay?since=yesterday", null)).ShouldFailValidationAsync("since");
        await (await partner.Admin.PostAsync($"/v1/webhooks/{created.Id()}/replay?since=2020-01-01T00:00:00Z", null)).ShouldFailValidationAsync("since");
        await (await partner.Admin.PostAsync($"/v1/webhooks/{created.Id()}/deliveries/{Guid.NewGuid()}/redeliver", null))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "delivery-not-found");
        // A delivery log cursor a client edited, its time now with an offset: the log pages on from there, no 500.
        var edited = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($$"""{"CreatedAt":"2026-11-24T11:00:00+01:00","Id":"{{Guid.NewGuid()}}"}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await (await partner.Admin.GetAsync($"/v1/webhooks/{created.Id()}/deliveries?cursor={edited}")).ShouldBeAsync(HttpStatusCode.OK);
    }
}

public sealed class MetricsTests(WebhookApiFactory api) : IClassFixture<WebhookApiFactory>
{
    [Fact]
    public async Task Metrics_AreScrapedInThePrometheusFormat_WithRequestsDeliveriesAndTheQueue()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Task.CompletedTask);
        var partner = await api.NewPartnerAsync();
        await (await partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Address.ToString() })).ShouldBeAsync(HttpStatusCode.Created);
        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (receiver.Requests.IsEmpty)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "no delivery");
            await Task.Delay(50);
        }

        string text;
        do
        {
            // The exporter serves a cached scrape for a moment; ask until the delivery shows.
            await Task.Delay(200);
            using var anonymous = api.CreateClient();
            var response = await anonymous.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            Assert.True(DateTimeOffset.UtcNow < deadline, text);
        }
        while (!text.Contains("leadsapi_webhook_deliveries_total{", StringComparison.Ordinal));

        Assert.Contains("outcome=\"delivered\"", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/leads/\"", text, StringComparison.Ordinal);
        Assert.Contains("leadsapi_outbox_lag_seconds", text, StringComparison.Ordinal);
        Assert.Contains("leadsapi_webhook_queue_depth", text, StringComparison.Ordinal);
    }
}
