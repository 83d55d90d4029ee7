using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsApi.Identity;
using LeadsApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using LeadsApi.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadsApi.Tests;

/// <summary>Sign-in on, no rate limits (the matrix makes a few thousand calls with the same keys), and a webhook host that resolves.</summary>
public sealed class MatrixLeadsApiFactory : JwtLeadsApiFactory
{
    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["RateLimits:Enabled"] = "false" };

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<IWebhookDns>();
        services.AddSingleton<IWebhookDns>(new TestWebhookDns().Answers("crm.example.com", ["93.184.215.14"]));
    }
}

/// <summary>
/// Every endpoint the app maps (read from its own endpoint data source, so a new one cannot be left out) called by
/// every kind of caller, each call on things made for it alone (a lead, a webhook, a key), against the table below,
/// which docs/security.md shows too. The test fails on any cell that differs, on an endpoint missing from the table,
/// and on a row of the table the app no longer maps.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixLeadsApiFactory api) : IClassFixture<MatrixLeadsApiFactory>
{
    /// <summary>
    /// The status each caller gets. The columns: no credential; the owning partner's API keys with each role; a JWT of
    /// the owning partner's user with each role; the sender that sent the lead; a sender that did not; another
    /// partner's admin; a revoked and an expired key of the owning partner's admin; a platformAdmin key.
    /// </summary>
    public const string Matrix = """
        | endpoint | none | partnerAdmin | referralsAdmin | referralsReader | JWT partnerAdmin | JWT referralsAdmin | JWT referralsReader | its sender | other sender | other partner | revoked key | expired key | platformAdmin |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        | `DELETE /v1/api-keys/{id}` | 401 | 204 | 403 | 403 | 204 | 403 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `DELETE /v1/leads/{id}/favorite` | 401 | 204 | 204 | 204 | 204 | 204 | 204 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `DELETE /v1/leads/{id}/team/{memberId}` | 401 | 204 | 204 | 403 | 204 | 204 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `DELETE /v1/webhooks/{id}` | 401 | 204 | 403 | 403 | 204 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `GET /health/live` | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
        | `GET /health/ready` | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
        | `GET /metrics` | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
        | `GET /problems/{code}` | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
        | `GET /v1/api-keys/{id}` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `GET /v1/api-keys` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 403 | 403 | 200 | 401 | 401 | 403 |
        | `GET /v1/events` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 401 | 401 | 403 |
        | `GET /v1/leads/summary` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 401 | 401 | 403 |
        | `GET /v1/leads/{id}/timeline` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 404 | 404 | 401 | 401 | 403 |
        | `GET /v1/leads/{id}` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 404 | 404 | 401 | 401 | 403 |
        | `GET /v1/leads` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 401 | 401 | 403 |
        | `GET /v1/partners/me/scorecard` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 403 | 403 | 200 | 401 | 401 | 403 |
        | `GET /v1/partners/{partnerId}/scorecard` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 401 | 401 | 200 |
        | `GET /v1/partners/me/profile/timeline` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 403 | 403 | 200 | 401 | 401 | 403 |
        | `GET /v1/partners/me/profile` | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 403 | 403 | 200 | 401 | 401 | 403 |
        | `GET /v1/webhooks/{id}/deliveries` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `GET /v1/webhooks/{id}` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `GET /v1/webhooks` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 200 | 200 | 200 | 401 | 401 | 403 |
        | `PATCH /v1/leads/{id}` | 401 | 200 | 200 | 403 | 200 | 200 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `PATCH /v1/webhooks/{id}` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `POST /v1/api-keys` | 401 | 201 | 403 | 403 | 201 | 403 | 403 | 403 | 403 | 201 | 401 | 401 | 403 |
        | `POST /v1/leads/batch` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 200 | 200 | 403 | 401 | 401 | 403 |
        | `POST /v1/leads/{id}/accept` | 401 | 200 | 200 | 403 | 200 | 200 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `POST /v1/leads/{id}/decline` | 401 | 200 | 200 | 403 | 200 | 200 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `POST /v1/leads/{id}/lost` | 401 | 200 | 200 | 403 | 200 | 200 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `POST /v1/leads/{id}/team` | 401 | 201 | 201 | 403 | 201 | 201 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `POST /v1/leads/{id}/won` | 401 | 200 | 200 | 403 | 200 | 200 | 403 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `POST /v1/leads` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 201 | 201 | 403 | 401 | 401 | 403 |
        | `POST /v1/matches` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 200 | 200 | 403 | 401 | 401 | 200 |
        | `POST /v1/partners` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 401 | 401 | 201 |
        | `POST /v1/senders` | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 401 | 401 | 201 |
        | `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` | 401 | 202 | 403 | 403 | 202 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `POST /v1/webhooks/{id}/replay` | 401 | 202 | 403 | 403 | 202 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `POST /v1/webhooks/{id}/rotate-secret` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `POST /v1/webhooks/{id}/test` | 401 | 202 | 403 | 403 | 202 | 403 | 403 | 404 | 404 | 404 | 401 | 401 | 403 |
        | `POST /v1/webhooks` | 401 | 201 | 403 | 403 | 201 | 403 | 403 | 201 | 201 | 201 | 401 | 401 | 403 |
        | `PUT /v1/leads/{id}/favorite` | 401 | 204 | 204 | 204 | 204 | 204 | 204 | 403 | 403 | 404 | 401 | 401 | 403 |
        | `PUT /v1/partners/me/profile` | 401 | 200 | 403 | 403 | 200 | 403 | 403 | 403 | 403 | 200 | 401 | 401 | 403 |
        """;

    private static readonly string[] Callers =
    [
        "none", "partnerAdmin", "referralsAdmin", "referralsReader", "JWT partnerAdmin", "JWT referralsAdmin", "JWT referralsReader",
        "its sender", "other sender", "other partner", "revoked key", "expired key", "platformAdmin",
    ];

    [Fact]
    public async Task EveryEndpoint_ForEveryCaller_AnswersAsTheTableSays()
    {
        var world = await World.CreateAsync(api);
        var mapped = MappedEndpoints();
        var expected = Parse(Matrix);
        var actual = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var unknown = mapped.Where(e => !Requests.ContainsKey(e)).ToList();
        Assert.True(unknown.Count == 0, $"The matrix cannot call these endpoints yet; add a request and a row for each: {string.Join(", ", unknown)}");

        foreach (var endpoint in mapped)
        {
            var row = new int[Callers.Length];
            for (var c = 0; c < Callers.Length; c++)
            {
                using var request = await Requests[endpoint](world);
                world.Authorize(request, Callers[c]);
                using var response = await world.Http.SendAsync(request);
                row[c] = (int)response.StatusCode;
            }

            actual[endpoint] = row;
        }

        var table = Format(actual);
        var differences = mapped.Where(e => !expected.TryGetValue(e, out var row) || !row.SequenceEqual(actual[e]))
            .Select(e => $"{e}: expected {(expected.TryGetValue(e, out var row) ? string.Join(" ", row) : "no row")}, got {string.Join(" ", actual[e])}")
            .Concat(expected.Keys.Except(mapped).Select(e => $"{e}: in the table, but the app maps no such endpoint"))
            .ToList();
        Assert.True(differences.Count == 0, $"{string.Join("\n", differences)}\n\nThe table as the app answers now:\n{table}");
    }

    [Fact]
    public void TheSecurityDocument_ShowsTheSameTable()
    {
        var document = File.ReadAllText(RepositoryFile("docs/security.md"));
        Assert.Equal(Parse(Matrix), Parse(document[document.IndexOf("| endpoint | none |", StringComparison.Ordinal)..]));
    }

    private List<string> MappedEndpoints() =>
    [
        .. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} {Normalized(e.RoutePattern.RawText)}"))
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private static string Normalized(string? pattern) => "/" + (pattern ?? "").Trim('/');

    /// <summary>How to call each endpoint, on things made for this one call.</summary>
    private static readonly Dictionary<string, Func<World, Task<HttpRequestMessage>>> Requests = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = _ => Get("/health/live"),
        ["GET /health/ready"] = _ => Get("/health/ready"),
        ["GET /metrics"] = _ => Get("/metrics"),
        ["GET /problems/{code}"] = _ => Get("/problems/lead-not-found"),
        ["GET /v1/events"] = _ => Get("/v1/events"),
        ["GET /v1/leads"] = _ => Get("/v1/leads"),
        ["GET /v1/leads/summary"] = _ => Get("/v1/leads/summary"),
        ["POST /v1/leads"] = w => Post("/v1/leads", w.NewLeadBody()),
        ["POST /v1/leads/batch"] = w => Post("/v1/leads/batch", new { leads = new[] { w.NewLeadBody() } }),
        ["GET /v1/leads/{id}"] = async w => await Get($"/v1/leads/{await w.ReceivedLeadAsync()}"),
        ["PATCH /v1/leads/{id}"] = async w => Json(HttpMethod.Patch, $"/v1/leads/{await w.AcceptedLeadAsync()}", Api.EditBody, "application/merge-patch+json"),
        ["GET /v1/leads/{id}/timeline"] = async w => await Get($"/v1/leads/{await w.ReceivedLeadAsync()}/timeline"),
        ["POST /v1/leads/{id}/accept"] = async w => Json(HttpMethod.Post, $"/v1/leads/{await w.ReceivedLeadAsync()}/accept", Api.AcceptBody),
        ["POST /v1/leads/{id}/decline"] = async w => Json(HttpMethod.Post, $"/v1/leads/{await w.ReceivedLeadAsync()}/decline", Api.DeclineBody),
        ["POST /v1/leads/{id}/won"] = async w => Json(HttpMethod.Post, $"/v1/leads/{await w.AcceptedLeadAsync()}/won", w.Api.WonBodyToday()),
        ["POST /v1/leads/{id}/lost"] = async w => Json(HttpMethod.Post, $"/v1/leads/{await w.AcceptedLeadAsync()}/lost", Api.LostBody),
        ["POST /v1/leads/{id}/team"] = async w => Json(HttpMethod.Post, $"/v1/leads/{await w.AcceptedLeadAsync()}/team", Api.TeamMemberBody),
        ["DELETE /v1/leads/{id}/team/{memberId}"] = async w => new HttpRequestMessage(HttpMethod.Delete, await w.TeamMemberAsync()),
        ["PUT /v1/leads/{id}/favorite"] = async w => new HttpRequestMessage(HttpMethod.Put, $"/v1/leads/{await w.ReceivedLeadAsync()}/favorite"),
        ["DELETE /v1/leads/{id}/favorite"] = async w => new HttpRequestMessage(HttpMethod.Delete, $"/v1/leads/{await w.ReceivedLeadAsync()}/favorite"),
        ["POST /v1/webhooks"] = _ => Post("/v1/webhooks", new { url = World.WebhookUrl }),
        ["GET /v1/webhooks"] = _ => Get("/v1/webhooks"),
        ["GET /v1/webhooks/{id}"] = async w => await Get($"/v1/webhooks/{await w.WebhookAsync()}"),
        ["PATCH /v1/webhooks/{id}"] = async w => Json(HttpMethod.Patch, $"/v1/webhooks/{await w.WebhookAsync()}", new { description = "CRM" }, "application/merge-patch+json"),
        ["DELETE /v1/webhooks/{id}"] = async w => new HttpRequestMessage(HttpMethod.Delete, $"/v1/webhooks/{await w.WebhookAsync()}"),
        ["POST /v1/webhooks/{id}/rotate-secret"] = async w => new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{await w.WebhookAsync()}/rotate-secret"),
        ["POST /v1/webhooks/{id}/test"] = async w => new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{await w.WebhookAsync()}/test"),
        ["GET /v1/webhooks/{id}/deliveries"] = async w => await Get($"/v1/webhooks/{await w.WebhookAsync()}/deliveries"),
        ["POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = async w => new HttpRequestMessage(HttpMethod.Post, $"{await w.DeliveryAsync()}/redeliver"),
        ["POST /v1/webhooks/{id}/replay"] = async w => new HttpRequestMessage(HttpMethod.Post,
            $"/v1/webhooks/{await w.WebhookAsync()}/replay?since={Uri.EscapeDataString(w.Api.Clock.GetUtcNow().AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}"),
        ["POST /v1/api-keys"] = _ => Post("/v1/api-keys", new { name = "CRM sync", roles = new[] { Roles.ReferralsReader } }),
        ["GET /v1/api-keys"] = _ => Get("/v1/api-keys"),
        ["GET /v1/api-keys/{id}"] = async w => await Get($"/v1/api-keys/{await w.ApiKeyAsync()}"),
        ["DELETE /v1/api-keys/{id}"] = async w => new HttpRequestMessage(HttpMethod.Delete, $"/v1/api-keys/{await w.ApiKeyAsync()}"),
        ["POST /v1/partners"] = _ => Post("/v1/partners", new { name = "Tailspin Toys" }),
        ["POST /v1/senders"] = _ => Post("/v1/senders", new { name = "Platform Sales", kind = "platformSales" }),
        ["GET /v1/partners/me/scorecard"] = _ => Get("/v1/partners/me/scorecard"),
        ["GET /v1/partners/{partnerId}/scorecard"] = w => Get($"/v1/partners/{w.Partner.PartnerId}/scorecard"),
        // "me": every caller reads or writes its own partner's profile, so another partner's admin gets its own (200).
        ["GET /v1/partners/me/profile"] = _ => Get("/v1/partners/me/profile"),
        ["PUT /v1/partners/me/profile"] = _ => Task.FromResult(Json(HttpMethod.Put, "/v1/partners/me/profile", new { weeklyCapacity = 10 })),
        ["GET /v1/partners/me/profile/timeline"] = _ => Get("/v1/partners/me/profile/timeline"),
        ["POST /v1/matches"] = _ => Post("/v1/matches", new { leadType = "customerInquiry", country = "PT", keywords = new[] { "microsoft 365" } }),
    };

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static Task<HttpRequestMessage> Post(string path, object body) => Task.FromResult(Json(HttpMethod.Post, path, body));

    private static HttpRequestMessage Json(HttpMethod method, string path, object body, string contentType = "application/json") => new(method, path)
    {
        Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, contentType),
    };

    private static Dictionary<string, int[]> Parse(string markdown) =>
        markdown.Split('\n')
            .Select(line => line.Trim())
            .TakeWhile(line => line.StartsWith('|'))
            .Skip(2)
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToDictionary(cells => cells[0].Trim('`'), cells => cells[1..].Select(int.Parse).ToArray(), StringComparer.Ordinal);

    private static string Format(Dictionary<string, int[]> rows) =>
        string.Join("\n", rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"| `{r.Key}` | {string.Join(" | ", r.Value)} |"));

    private static string RepositoryFile(string path)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LeadsApi.sln")))
            {
                return Path.Combine(folder.FullName, path);
            }
        }

        throw new InvalidOperationException("No LeadsApi.sln above the test's folder.");
    }

    /// <summary>The owning partner with its keys and tokens, the lead's sender, and the strangers; and makers of things to call on.</summary>
    private sealed class World
    {
        public const string WebhookUrl = "https://crm.example.com/hooks/leads";

        private readonly Dictionary<string, string?> _credentials = new(StringComparer.Ordinal);
        private int _leads;

        private World(MatrixLeadsApiFactory factory, PartnerClients partner, SenderClient sender)
        {
            Api = factory;
            Partner = partner;
            Sender = sender;
            Http = factory.CreateClient();
        }

        public MatrixLeadsApiFactory Api { get; }

        public PartnerClients Partner { get; }

        public SenderClient Sender { get; }

        public HttpClient Http { get; }

        public static async Task<World> CreateAsync(MatrixLeadsApiFactory api)
        {
            var partner = await api.NewPartnerAsync();
            var world = new World(api, partner, await api.NewSenderAsync());
            var otherSender = await api.NewSenderAsync("Another marketplace");
            var otherPartner = await api.NewPartnerAsync("Northwind");
            var revoked = await world.NewKeyAsync(Roles.PartnerAdmin, expiresAt: null);
            (await partner.Admin.DeleteAsync($"/v1/api-keys/{revoked.Id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
            var expired = await world.NewKeyAsync(Roles.PartnerAdmin, api.Clock.GetUtcNow().AddMinutes(1));
            api.Clock.Advance(TimeSpan.FromMinutes(2));
            await using var scope = api.Services.CreateAsyncScope();
            var platform = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync("Onboarding desk", CancellationToken.None);

            world._credentials["none"] = null;
            world._credentials["partnerAdmin"] = partner.AdminKey;
            world._credentials["referralsAdmin"] = (await world.NewKeyAsync(Roles.ReferralsAdmin, null)).Secret;
            world._credentials["referralsReader"] = (await world.NewKeyAsync(Roles.ReferralsReader, null)).Secret;
            world._credentials["JWT partnerAdmin"] = api.TokenFor(partner.PartnerId, "ana@contoso.example", "Ana Admin", Roles.PartnerAdmin);
            world._credentials["JWT referralsAdmin"] = api.TokenFor(partner.PartnerId, "rita@contoso.example", "Rita Referrals", Roles.ReferralsAdmin);
            world._credentials["JWT referralsReader"] = api.TokenFor(partner.PartnerId, "rui@contoso.example", "Rui Reader", Roles.ReferralsReader);
            world._credentials["its sender"] = world.Sender.ApiKey;
            world._credentials["other sender"] = otherSender.ApiKey;
            world._credentials["other partner"] = otherPartner.AdminKey;
            world._credentials["revoked key"] = revoked.Secret;
            world._credentials["expired key"] = expired.Secret;
            world._credentials["platformAdmin"] = platform.ApiKey;
            return world;
        }

        public void Authorize(HttpRequestMessage request, string caller)
        {
            if (_credentials[caller] is { } credential)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            }
        }

        /// <summary>A new lead's body for the owning partner, with an externalId of its own (a repeat would be a replay).</summary>
        public object NewLeadBody() => Infrastructure.Api.NewLeadBody(Partner.PartnerId, externalId: $"matrix-{Interlocked.Increment(ref _leads)}");

        public async Task<string> ReceivedLeadAsync() => (await Sender.CreateLeadAsync(Partner.PartnerId)).Id();

        public async Task<string> AcceptedLeadAsync() => (await Sender.AcceptedLeadAsync(Partner)).Id();

        public async Task<string> TeamMemberAsync()
        {
            var lead = await AcceptedLeadAsync();
            var added = await Partner.Admin.PostAsJsonAsync($"/v1/leads/{lead}/team", Infrastructure.Api.TeamMemberBody);
            added.EnsureSuccessStatusCode();
            return added.Headers.Location!.OriginalString;
        }

        public async Task<string> WebhookAsync() =>
            (await (await Partner.Admin.PostAsJsonAsync("/v1/webhooks", new { url = WebhookUrl })).ShouldBeAsync(System.Net.HttpStatusCode.Created)).Id();

        /// <summary>A delivery of the partner's webhook (its test event): its address.</summary>
        public async Task<string> DeliveryAsync()
        {
            var webhook = await WebhookAsync();
            var test = await (await Partner.Admin.PostAsync($"/v1/webhooks/{webhook}/test", null)).ShouldBeAsync(System.Net.HttpStatusCode.Accepted);
            return $"/v1/webhooks/{webhook}/deliveries/{test.Id()}";
        }

        public async Task<string> ApiKeyAsync() => (await NewKeyAsync(Roles.ReferralsReader, null)).Id;

        private async Task<(string Id, string Secret)> NewKeyAsync(string role, DateTimeOffset? expiresAt)
        {
            var created = await (await Partner.Admin.PostAsJsonAsync("/v1/api-keys", new { name = $"matrix {role}", roles = new[] { role }, expiresAt }))
                .ShouldBeAsync(System.Net.HttpStatusCode.Created);
            return (created.Id(), created.Str("secret"));
        }
    }
}
