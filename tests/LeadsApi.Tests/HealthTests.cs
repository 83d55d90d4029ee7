using System.Net;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class HealthTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WithoutAKey_ReportsHealthy(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        var response = await api.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>The service pointed at a database that is not there.</summary>
public sealed class UnreachableDatabaseFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Leads"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2",
        ["Database:Migrate"] = "false",
    };
}

public sealed class ReadinessTests(UnreachableDatabaseFactory api) : IClassFixture<UnreachableDatabaseFactory>
{
    [Fact]
    public async Task Ready_WhenTheDatabaseIsDown_Returns503ButLiveStays200()
    {
        var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
