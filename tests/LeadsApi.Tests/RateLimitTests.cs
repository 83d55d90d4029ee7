using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.RateLimits;
using LeadsApi.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace LeadsApi.Tests;

/// <summary>
/// Budgets small enough to spend in a test, refilled only after an hour: what a burst leaves is exactly what the test
/// counts, whatever the machine's speed. Every test spends the budgets of keys of its own.
/// </summary>
public sealed class SmallBudgetApiFactory : LeadsApiFactory
{
    public const int Reads = 4;
    public const int Writes = 3;
    public const int Anonymous = 2;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Reads:TokenLimit"] = $"{Reads}",
        ["RateLimits:Reads:TokensPerPeriod"] = $"{Reads}",
        ["RateLimits:Reads:ReplenishmentPeriod"] = "01:00:00",
        ["RateLimits:Writes:TokenLimit"] = $"{Writes}",
        ["RateLimits:Writes:TokensPerPeriod"] = $"{Writes}",
        ["RateLimits:Writes:ReplenishmentPeriod"] = "01:00:00",
        ["RateLimits:Anonymous:TokenLimit"] = $"{Anonymous}",
        ["RateLimits:Anonymous:TokensPerPeriod"] = $"{Anonymous}",
        ["RateLimits:Anonymous:ReplenishmentPeriod"] = "01:00:00",
    };
}

public sealed class RateLimitTests(SmallBudgetApiFactory api) : IClassFixture<SmallBudgetApiFactory>
{
    [Fact]
    public async Task ReadsBeyondTheBurst_Are429RateLimited_WithRetryAfterAndTheHeaders()
    {
        var partner = await api.NewPartnerAsync();

        for (var left = SmallBudgetApiFactory.Reads - 1; left >= 0; left--)
        {
            var read = await partner.Reader.GetAsync("/v1/leads?limit=1");
            await read.ShouldBeAsync(HttpStatusCode.OK);
            Assert.Equal("\"reads\";q=4;w=3600", Header(read, "RateLimit-Policy"));
            Assert.Equal($"\"reads\";r={left};t=3600", Header(read, "RateLimit"));
        }

        var refused = await partner.Reader.GetAsync("/v1/leads?limit=1");

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("'reads' budget", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("/v1/leads", problem.Str("instance"));
        // One token comes back when the bucket refills: an hour here.
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("\"reads\";q=4;w=3600", Header(refused, "RateLimit-Policy"));
        Assert.Equal("\"reads\";r=0;t=3600", Header(refused, "RateLimit"));
    }

    [Fact]
    public async Task Refusals_AreCountedInTheMetrics() => await RefusalsShowInTheMetricsAsync();

    // Every host in the process sees the others' meters of the same name (ASP.NET Core's come from each host's
    // IMeterFactory): one that stops must not take this host's counters off its /metrics, as it did in full test runs.
    [Fact]
    public async Task Refusals_AreCountedInTheMetrics_AfterAnotherHostInTheProcessStopped()
    {
        var other = new LeadsApiFactory();
        await other.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.CreateClient().GetAsync("/health/live")).StatusCode);
        await other.DisposeAsync();
        // The SDK exports a stream one last time after its meter is gone: two collections (past the exporter's 300 ms
        // cache of a scrape) leave only the streams that live on, so what the refusals count next has to show there.
        await api.CreateClient().GetStringAsync("/metrics");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await api.CreateClient().GetStringAsync("/metrics");

        await RefusalsShowInTheMetricsAsync();
    }

    [Fact]
    public async Task ProblemAnswers_CarryTheHeadersAndSpendTheBudget()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);

        var notFound = await partner.Reader.GetAsync($"/v1/leads/{Guid.CreateVersion7()}");
        var invalid = await partner.Reader.GetAsync("/v1/leads?limit=0");
        var forbidden = await partner.Reader.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody);

        await notFound.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        Assert.Equal("\"reads\";r=3;t=3600", Header(notFound, "RateLimit"));
        await invalid.ShouldFailValidationAsync("limit");
        Assert.Equal("\"reads\";r=2;t=3600", Header(invalid, "RateLimit"));
        await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("\"writes\";q=3;w=3600", Header(forbidden, "RateLimit-Policy"));
        Assert.Equal("\"writes\";r=2;t=3600", Header(forbidden, "RateLimit"));
    }

    [Fact]
    public async Task SpentWrites_LeaveTheKeysReads()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        await SpendWritesAsync(partner.Reader, lead);

        var star = await partner.Reader.PutAsync($"/v1/leads/{lead.Id()}/favorite", null);
        var read = await partner.Reader.GetAsync($"/v1/leads/{lead.Id()}");

        await star.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal("\"writes\";r=0;t=3600", Header(star, "RateLimit"));
        await read.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal($"\"reads\";r={SmallBudgetApiFactory.Reads - 1};t=3600", Header(read, "RateLimit"));
    }

    [Fact]
    public async Task SpentBudget_OfOneKey_LeavesEveryOtherKeysBudgetWhole()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Fabrikam Partners");
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var otherLead = await sender.CreateLeadAsync(other.PartnerId);
        await SpendWritesAsync(partner.Reader, lead);
        await (await partner.Reader.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        // Another user of the same partner, and a user of another partner.
        var sameTenant = await partner.ReferralsAdmin.PutAsync($"/v1/leads/{lead.Id()}/favorite", null);
        var otherTenant = await other.Reader.PutAsync($"/v1/leads/{otherLead.Id()}/favorite", null);

        await sameTenant.ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.Equal($"\"writes\";r={SmallBudgetApiFactory.Writes - 1};t=3600", Header(sameTenant, "RateLimit"));
        await otherTenant.ShouldBeAsync(HttpStatusCode.NoContent);
        Assert.Equal($"\"writes\";r={SmallBudgetApiFactory.Writes - 1};t=3600", Header(otherTenant, "RateLimit"));
    }

    [Fact]
    public async Task RefusedWrite_ChangedNothing()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var spent = await sender.CreateLeadAsync(partner.PartnerId);
        await SpendWritesAsync(partner.Admin, spent);
        var before = await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline");

        using var accept = new HttpRequestMessage(HttpMethod.Post, $"/v1/leads/{lead.Id()}/accept") { Content = JsonContent.Create(Api.AcceptBody) };
        accept.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var refused = await partner.Admin.SendAsync(accept);

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Null(refused.Headers.ETag);
        var after = await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("received", after.Str("status"));
        Assert.Equal(before.GetRawText(), (await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline")).GetRawText());
        Assert.Equal(0, await api.WithDbAsync(db => Task.FromResult(db.IdempotencyRecords.Count(r => r.OwnerId == partner.PartnerId))));
    }

    // The only test here that spends the budget of requests without credentials (one for the whole test server).
    [Fact]
    public async Task RequestsWithoutValidCredentials_SpendTheAddresssBudget_AndAre429BeforeTheir401()
    {
        var anonymous = api.CreateClient();
        var unknownKey = api.ClientWithKey("lak_unknown");

        var first = await anonymous.GetAsync("/v1/leads");
        var second = await unknownKey.PostAsJsonAsync("/v1/leads", new { });
        var third = await anonymous.GetAsync("/v1/leads");

        await first.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("\"anonymous\";q=2;w=3600", Header(first, "RateLimit-Policy"));
        Assert.Equal("\"anonymous\";r=1;t=3600", Header(first, "RateLimit"));
        await second.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("\"anonymous\";r=0;t=3600", Header(second, "RateLimit"));
        var problem = await third.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("without a valid API key", problem.Str("detail"), StringComparison.Ordinal);
        Assert.NotNull(third.Headers.RetryAfter);

        // A valid key is its own budget, whatever its address spent without one.
        var partner = await api.NewPartnerAsync();
        await (await partner.Reader.GetAsync("/v1/leads")).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    [InlineData("/problems/rate-limited")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task ProbesMetricsAndDocumentation_AreNeverLimited_NorCarryTheHeaders(string path)
    {
        var client = api.CreateClient();

        for (var i = 0; i < SmallBudgetApiFactory.Anonymous + SmallBudgetApiFactory.Reads + 1; i++)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit"), $"{path} answered with RateLimit.");
            Assert.False(response.Headers.Contains("RateLimit-Policy"), $"{path} answered with RateLimit-Policy.");
        }
    }

    [Theory]
    [InlineData("Reads", "TokenLimit", "0", "RateLimits:Reads:TokenLimit")]
    [InlineData("Writes", "TokensPerPeriod", "0", "RateLimits:Writes:TokensPerPeriod")]
    [InlineData("Writes", "TokensPerPeriod", "101", "RateLimits:Writes:TokensPerPeriod")]
    [InlineData("Anonymous", "ReplenishmentPeriod", "00:00:00.01", "RateLimits:Anonymous:ReplenishmentPeriod")]
    [InlineData("Reads", "ReplenishmentPeriod", "02:00:00", "RateLimits:Reads:ReplenishmentPeriod")]
    public void SettingsOutOfRange_AreRefusedAtStartUp(string budget, string setting, string value, string named)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"RateLimits:{budget}:{setting}"] = value })
            .Build();
        var options = new RateLimitOptions();
        configuration.GetSection(RateLimitOptions.Section).Bind(options);

        Assert.StartsWith(named, options.Problem(), StringComparison.Ordinal);
        Assert.Null(new RateLimitOptions().Problem());
    }

    /// <summary>Spends a new key's read budget, then asserts that ASP.NET Core's rate-limiting counter shows the refusals.</summary>
    private async Task RefusalsShowInTheMetricsAsync()
    {
        var partner = await api.NewPartnerAsync();
        for (var i = 0; i <= SmallBudgetApiFactory.Reads; i++)
        {
            await partner.Reader.GetAsync("/v1/leads?limit=1");
        }

        // The exporter serves a cached scrape for a moment, and a loaded machine is slow to collect: ask for up to 30 s,
        // refusing one more read each time (the budget is spent), until the refusals show.
        var metrics = "";
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!metrics.Contains("global_limiter", StringComparison.Ordinal) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200);
            (await partner.Reader.GetAsync("/v1/leads?limit=1")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            metrics = await api.CreateClient().GetStringAsync("/metrics");
        }

        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("aspnetcore_rate_limiting_requests_total{", StringComparison.Ordinal)
            && line.Contains("aspnetcore_rate_limiting_result=\"global_limiter\"", StringComparison.Ordinal));
    }

    /// <summary>Spends the key's whole write budget on stars of one lead, each of which is a write that succeeds.</summary>
    private static async Task SpendWritesAsync(HttpClient client, JsonElement lead)
    {
        for (var left = SmallBudgetApiFactory.Writes - 1; left >= 0; left--)
        {
            var star = await client.PutAsync($"/v1/leads/{lead.Id()}/favorite", null);
            await star.ShouldBeAsync(HttpStatusCode.NoContent);
            Assert.Equal($"\"writes\";r={left};t=3600", Header(star, "RateLimit"));
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>A budget of two reads that refills every second, for the test that waits for it.</summary>
public sealed class RefillingBudgetApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Reads:TokenLimit"] = "2",
        ["RateLimits:Reads:TokensPerPeriod"] = "2",
        ["RateLimits:Reads:ReplenishmentPeriod"] = "00:00:01",
    };
}

public sealed class RateLimitRefillTests(RefillingBudgetApiFactory api) : IClassFixture<RefillingBudgetApiFactory>
{
    // The limiter keeps real time, not the test's clock: the test polls rather than sleeps a fixed time.
    [Fact]
    public async Task SpentBudget_RefillsAfterRetryAfter()
    {
        var partner = await api.NewPartnerAsync();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var read = await partner.Reader.GetAsync("/v1/leads?limit=1");
            refused = read.StatusCode == HttpStatusCode.TooManyRequests ? read : null;
        }

        Assert.NotNull(refused);
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("\"reads\";q=2;w=1", string.Join(",", refused.Headers.GetValues("RateLimit-Policy")));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage again;
        do
        {
            await Task.Delay(100);
            again = await partner.Reader.GetAsync("/v1/leads?limit=1");
        }
        while (again.StatusCode == HttpStatusCode.TooManyRequests && waited.Elapsed < TimeSpan.FromSeconds(10));

        await again.ShouldBeAsync(HttpStatusCode.OK);
        Assert.InRange(waited.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }
}

/// <summary>Limits off (the benchmarks run so): nothing is refused for its rate and no answer carries the headers.</summary>
public sealed class RateLimitsOffApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Enabled"] = "false",
        ["RateLimits:Reads:TokenLimit"] = "1",
        ["RateLimits:Reads:TokensPerPeriod"] = "1",
        ["RateLimits:Reads:ReplenishmentPeriod"] = "01:00:00",
    };
}

public sealed class RateLimitsOffTests(RateLimitsOffApiFactory api) : IClassFixture<RateLimitsOffApiFactory>
{
    [Fact]
    public async Task WithLimitsOff_ABurstBeyondTheBudget_IsServed_WithoutTheHeaders()
    {
        var partner = await api.NewPartnerAsync();

        for (var i = 0; i < 5; i++)
        {
            var read = await partner.Reader.GetAsync("/v1/leads?limit=1");
            await read.ShouldBeAsync(HttpStatusCode.OK);
            Assert.False(read.Headers.Contains("RateLimit"));
        }
    }
}
