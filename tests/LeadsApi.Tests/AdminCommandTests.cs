using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>The operator bootstrap, run as operators run it: the service's own executable, in a process of its own.</summary>
public sealed class AdminCommandTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task CreatePartnerAndSender_PrintOneJsonObjectEach_WhoseKeysWork()
    {
        var partner = await RunAdminAsync("create-partner", "--name", "Contoso");
        var sender = await RunAdminAsync("create-sender", "--name", "Marketing", "--kind", "platformMarketing");

        var partnerId = partner.GetProperty("partnerId").GetGuid();
        var senderClient = api.ClientWithKey(sender.GetProperty("apiKey").GetString()!);
        var created = await (await senderClient.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partnerId, "marketingQualified")))
            .ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal("platformMarketing", created.GetProperty("sender").Str("kind"));
        Assert.Equal(sender.GetProperty("senderId").GetString(), created.GetProperty("sender").Str("id"));

        var partnerClient = api.ClientWithKey(partner.GetProperty("apiKey").GetString()!);
        await (await partnerClient.PostAsJsonAsync($"/v1/leads/{created.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateKey_ForAReader_GivesAKeyThatReadsButCannotAct()
    {
        var partner = await RunAdminAsync("create-partner", "--name", "Fabrikam");
        var reader = await RunAdminAsync(
            "create-key", "--partner", partner.GetProperty("partnerId").GetString()!, "--user", "Ana", "--role", "referralsReader");

        var client = api.ClientWithKey(reader.GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/leads")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/v1/leads/{Guid.NewGuid()}/decline", Api.DeclineBody)).StatusCode);
    }

    [Fact]
    public async Task CreatePlatformKey_GivesAKeyThatOnboardsPartners_ButReadsNoLeads()
    {
        var platform = await RunAdminAsync("create-platform-key", "--name", "Onboarding desk");

        var client = api.ClientWithKey(platform.GetProperty("apiKey").GetString()!);
        var onboarded = await (await client.PostAsJsonAsync("/v1/partners", new { name = "Litware" })).ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal("Onboarding desk", onboarded.GetProperty("key").GetProperty("createdBy").Str("name"));
        Assert.Equal(platform.GetProperty("userId").GetString(), onboarded.GetProperty("key").GetProperty("createdBy").Str("userId"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/leads")).StatusCode);
    }

    [Fact]
    public async Task ApiKeys_AreStoredOnlyAsHashes()
    {
        var partner = await RunAdminAsync("create-partner", "--name", "Northwind");
        var key = partner.GetProperty("apiKey").GetString()!;

        var stored = await api.WithDbAsync(async db =>
        {
            var keys = db.ApiKeys.Where(k => k.PartnerId == partner.GetProperty("partnerId").GetGuid()).Select(k => k.Hash).ToList();
            return await Task.FromResult(keys);
        });

        var hash = Assert.Single(stored);
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
        Assert.Equal(64, hash.Length);
    }

    [Fact]
    public async Task UnknownCommand_PrintsUsageAndFails()
    {
        var (exit, output, error) = await RunAsync("admin", "make-coffee");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("create-partner", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrInvalidOptions_AreUsageErrors_AndAnUnknownPartnerAFailure()
    {
        var missing = await RunAsync("admin", "create-partner");
        var badKind = await RunAsync("admin", "create-sender", "--name", "Marketing", "--kind", "robot");
        var unknownPartner = await RunAsync("admin", "create-key", "--partner", Guid.NewGuid().ToString(), "--user", "Ana", "--role", "referralsReader");

        Assert.Equal(2, missing.Exit);
        Assert.Contains("--name", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, badKind.Exit);
        Assert.Contains("--kind must be one of marketplace, platformMarketing, platformSales, partner (got 'robot').", badKind.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknownPartner.Exit);
        Assert.Contains("No partner with id", unknownPartner.Error, StringComparison.Ordinal);
        Assert.All(new[] { missing, badKind, unknownPartner }, run => Assert.Empty(run.Output));
    }

    private async Task<JsonElement> RunAdminAsync(params string[] arguments)
    {
        var (exit, output, error) = await RunAsync(["admin", .. arguments]);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return JsonDocument.Parse(Assert.Single(lines)).RootElement.Clone();
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments) =>
        ServiceProcess.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Leads"] = api.ConnectionString }, arguments);
}
