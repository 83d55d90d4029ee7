using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>The service on a real socket with two browser origins allowed and a preflight max-age of 5 minutes.</summary>
public sealed class CorsLeadsApiFactory : LeadsApiFactory
{
    public const string App = "https://app.contoso.example";
    public const string LocalApp = "http://localhost:5173";

    public CorsLeadsApiFactory() => UseKestrel(0);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins"] = $"{App}, {LocalApp}",
        ["Cors:PreflightMaxAge"] = "00:05:00",
    };

    protected override void StartHost() => StartServer();
}

/// <summary>
/// CORS over real HTTP: a browser's preflight (OPTIONS with Origin and Access-Control-Request-*) is answered without
/// credentials for the allowed origins only, and a cross-origin answer exposes the headers a client reads.
/// </summary>
public sealed class CorsTests(CorsLeadsApiFactory api) : IClassFixture<CorsLeadsApiFactory>
{
    private const string RequestHeaders = "authorization,content-type,if-match,if-none-match,idempotency-key,x-correlation-id";

    [Theory]
    [InlineData(CorsLeadsApiFactory.App, "POST", "/v1/leads/0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11/accept")]
    [InlineData(CorsLeadsApiFactory.LocalApp, "GET", "/v1/leads")]
    [InlineData(CorsLeadsApiFactory.App, "PUT", "/v1/leads/0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11/favorite")]
    [InlineData(CorsLeadsApiFactory.App, "PATCH", "/v1/leads/0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11")]
    [InlineData(CorsLeadsApiFactory.App, "DELETE", "/v1/leads/0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11/favorite")]
    public async Task Preflight_FromAnAllowedOrigin_IsAnsweredWithoutCredentials(string origin, string method, string path)
    {
        var response = await PreflightAsync(origin, method, RequestHeaders, path);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, List(response, "Access-Control-Allow-Methods"));
        Assert.Superset(RequestHeaders.Split(',').ToHashSet(), List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()).ToHashSet());
        Assert.Equal("300", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://app.contoso.example.evil.example")]
    [InlineData("http://app.contoso.example")]
    [InlineData("null")]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsHeaders(string origin)
    {
        var response = await PreflightAsync(origin, "POST", RequestHeaders, "/v1/leads");

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Preflight_ForAHeaderTheApiDoesNotTake_DoesNotAllowIt()
    {
        var response = await PreflightAsync(CorsLeadsApiFactory.App, "GET", "authorization,x-api-key", "/v1/leads");

        // The browser refuses the request unless every header it asked for is allowed.
        Assert.DoesNotContain("x-api-key", List(response, "Access-Control-Allow-Headers"), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CrossOriginRequests_ExposeTheHeadersAClientReads()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = JsonContent.Create(Api.NewLeadBody(partner.PartnerId)) };
        create.Headers.Add("Origin", CorsLeadsApiFactory.App);
        var created = await sender.Client.SendAsync(create);
        var lead = await created.ShouldBeAsync(HttpStatusCode.Created);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/leads/{lead.Id()}");
        read.Headers.Add("Origin", CorsLeadsApiFactory.LocalApp);
        var response = await partner.Reader.SendAsync(read);

        await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(CorsLeadsApiFactory.LocalApp, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(CorsLeadsApiFactory.App, Header(created, "Access-Control-Allow-Origin"));
        foreach (var answer in new[] { response, created })
        {
            Assert.Superset(
                new HashSet<string>(["etag", "location", "retry-after", "x-correlation-id", "www-authenticate", "ratelimit-policy", "ratelimit"]),
                List(answer, "Access-Control-Expose-Headers").Select(h => h.ToLowerInvariant()).ToHashSet());
            Assert.Null(Header(answer, "Access-Control-Allow-Credentials"));
        }

        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(created.Headers.Location);
        Assert.StartsWith("\"reads\";r=", Header(response, "RateLimit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossOrigin401_CarriesTheCorsHeaders_SoTheAppCanReadTheProblem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/leads");
        request.Headers.Add("Origin", CorsLeadsApiFactory.App);

        var response = await api.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(CorsLeadsApiFactory.App, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RequestFromAnotherOrigin_IsAnsweredWithoutCorsHeaders()
    {
        var partner = await api.NewPartnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/leads");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await partner.Reader.SendAsync(request);

        await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("https://app.example", null)]
    [InlineData("https://app.example, http://localhost:5173", null)]
    [InlineData("*", "not an origin")]
    [InlineData("https://app.example/", "not an origin")]
    [InlineData("https://app.example/path", "not an origin")]
    [InlineData("app.example", "not an origin")]
    [InlineData("ftp://app.example", "not an origin")]
    public void AllowedOrigins_AreCheckedAtStartUp(string origins, string? problem)
    {
        var options = new LeadsApi.Hosting.LeadsCorsOptions { AllowedOrigins = origins };

        if (problem is null)
        {
            Assert.Null(options.Problem());
        }
        else
        {
            Assert.Contains(problem, options.Problem(), StringComparison.Ordinal);
        }
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string method, string headers, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await api.CreateClient().SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string[] List(HttpResponseMessage response, string name) =>
        [.. (Header(response, name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}

/// <summary>Without Cors settings the API sends no CORS headers at all, to a preflight or to a request.</summary>
public sealed class CorsOffTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task WithNoAllowedOrigins_NothingCarriesCorsHeaders()
    {
        var partner = await api.NewPartnerAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/leads");
        preflight.Headers.Add("Origin", "https://app.contoso.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/leads");
        request.Headers.Add("Origin", "https://app.contoso.example");

        var answers = new[] { await api.CreateClient().SendAsync(preflight), await partner.Reader.SendAsync(request) };

        Assert.All(answers, answer => Assert.DoesNotContain(answer.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)));
        await answers[1].ShouldBeAsync(HttpStatusCode.OK);
    }
}
