using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LeadsApi.Tests;

/// <summary>
/// Thousands of hostile requests over every operation the contract documents: odd ids, junk query values,
/// mutated and broken bodies, foreign charsets, stale or bogus preconditions, every kind of caller. None may
/// answer 5xx, every answer carries a correlation id, and every error is a problem with a code. The run is
/// seeded (LEADS_FUZZ_SEED) and sized (LEADS_FUZZ_REQUESTS); a failure prints the seed to replay it.
/// </summary>
public sealed class HostileRequestFuzzTests(LeadsApiFactory api, ITestOutputHelper output) : IClassFixture<LeadsApiFactory>
{
    private static readonly string[] HostileStrings =
    [
        "", " ", "\n", "123\n", "a\u0000b", "\u202Eevil", "😀😀😀", "%", "_", "' OR 1=1 --", "<script>alert(1)</script>",
        new string('x', 257), new string('é', 5000), "null", "true", "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11", "+" + new string('9', 40),
        "EUR", "eur", "XX", "PT", "2027-01-31", "2026-02-30", "9999-12-31", "0001-01-01", "2026-11-24T10:00:00+01:00",
    ];

    private static readonly string[] HostileJsonValues =
    [
        "null", "true", "0", "-1", "1e400", "-1e400", "1e-30", "0.00001", "12345678901234567890123", "[]", "{}", "[null]",
        "{\"amount\": -5, \"currency\": \"EUR\"}", "{\"amount\": 1, \"currency\": \"ZZZ\"}", "\"\\ud800\"", "\"\\u0000\"",
        string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)),
    ];

    private static readonly string[] RawBodies =
    [
        "", "{", "}", "[]", "null", "\"text\"", "{\"a\":", "{\"dealName\": \"x\",}", "\uFEFF{}", "{'a': 1}",
        string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + string.Concat(Enumerable.Repeat("}", 100)),
        string.Concat(Enumerable.Repeat("[", 5000)),
    ];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/merge-patch+json", "application/json; charset=utf-8",
        "application/json; charset=\"UTF-8\"", "application/json; charset=bogus", "application/json; charset=windows-1252",
        "application/json; charset=utf-16", "text/plain", "application/xml", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", null,
    ];

    private static readonly string[] QueryNames = ["view", "stage", "status", "type", "hot", "q", "updatedSince", "sort", "limit", "cursor", "page", "LIMIT"];

    private static readonly string[] QueryValues =
    [
        "marketplace", "qualified", "favorites", "received", "accepted", "archived", "won", "expired", "customerInquiry", "true", "false",
        "-receivedAt", "updatedAt", "estimatedValue", "-estimatedValue", "0", "1", "50", "100", "101", "-1", "abc", "1e3",
        "2026-11-24T10:00:00Z", "2026-11-24T10:00:00+01:00", "yesterday", "%00", "%ZZ", "%FF%FE", "eyJ4IjoxfQ", "!!!", "a%2Cb",
        Uri.EscapeDataString(new string('q', 3000)), Uri.EscapeDataString("😀"), Uri.EscapeDataString("\\"), "%25",
    ];

    [Fact]
    public async Task ThousandsOfHostileRequests_OverEveryOperation_NeverAnswer5xx()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEADS_FUZZ_SEED"), out var given) ? given : Random.Shared.Next();
        var count = int.TryParse(Environment.GetEnvironmentVariable("LEADS_FUZZ_REQUESTS"), out var n) ? n : 4000;
        output.WriteLine($"LEADS_FUZZ_SEED={seed} LEADS_FUZZ_REQUESTS={count}");
        var random = new Random(seed);
        var world = await WorldAsync();
        var operations = await OperationsAsync();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();

        for (var i = 0; i < count; i++)
        {
            var (method, template) = operations[random.Next(operations.Count)];
            using var request = Request(random, world, method, template);
            var description = $"#{i} {request.Method} {request.RequestUri}";
            using var response = await world.Clients[random.Next(world.Clients.Length)].SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{description} answered {status}: {Shorten(body)}");
            }

            if (!response.Headers.TryGetValues("X-Correlation-Id", out var ids) || string.IsNullOrWhiteSpace(ids.Single()))
            {
                failures.Add($"{description} answered {status} without X-Correlation-Id");
            }

            // Every operation is rate limited: every answer, a refusal of any kind included, says what is left of the budget.
            if (!response.Headers.Contains("RateLimit") || !response.Headers.Contains("RateLimit-Policy"))
            {
                failures.Add($"{description} answered {status} without the RateLimit headers");
            }

            if (status >= 400 && !IsProblem(response, body))
            {
                failures.Add($"{description} answered {status} without a problem with a code: {Shorten(body)}");
            }
        }

        output.WriteLine($"{count} requests over {operations.Count} operations: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, $"LEADS_FUZZ_SEED={seed}: {failures.Count} bad answers, the first:\n" + string.Join('\n', failures.Take(10)));
        // The run exercised more than the front door: successes and refusals of many kinds.
        Assert.True(statuses.Keys.Count(s => s < 300) >= 2 && statuses.Keys.Count(s => s >= 400) >= 5, string.Join(", ", statuses));
    }

    private static bool IsProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("code", out var code)
            && problem.RootElement.GetProperty("type").GetString() == $"/problems/{code.GetString()}";
    }

    private static HttpRequestMessage Request(Random random, World world, string method, string template)
    {
        var path = template
            .Replace("{id}", Pick(random, world.LeadIds), StringComparison.Ordinal)
            .Replace("{memberId}", Pick(random, world.MemberIds), StringComparison.Ordinal);
        if (random.Next(3) > 0)
        {
            var query = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => $"{Pick(random, QueryNames)}={Pick(random, QueryValues)}");
            path += "?" + string.Join('&', query);
        }

        var request = new HttpRequestMessage(new HttpMethod(random.Next(20) == 0 ? Pick(random, ["GET", "PUT", "DELETE", "PATCH", "POST", "OPTIONS", "HEAD"]) : method), path);
        if (method is "POST" or "PATCH" or "PUT" || random.Next(10) == 0)
        {
            request.Content = new ByteArrayContent(Body(random, world, template));
            if (Pick(random, ContentTypes) is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (random.Next(6) == 0)
        {
            request.Headers.TryAddWithoutValidation("If-Match", Pick(random, ["\"1\"", "*", "W/\"1\"", "garbage", "\"\"", world.ETag]));
        }

        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Pick(random, ["Bearer ", "Bearer lak_nope", "Basic dXNlcjpwYXNz", "Bearer " + new string('k', 300), "bearer"]));
        }

        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Correlation-Id", Pick(random, ["crm-1", "bad id with spaces", new string('c', 100), "\u00e9t\u00e9"]));
        }

        return request;
    }

    private static byte[] Body(Random random, World world, string template)
    {
        switch (random.Next(10))
        {
            case 0:
                return Encoding.UTF8.GetBytes(Pick(random, RawBodies));
            case 1:
                return [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]; // {"a":"<invalid UTF-8>"}
        }

        var valid = ValidBodyFor(template, world);
        var node = JsonSerializer.SerializeToNode(valid) ?? new JsonObject();
        var raw = new List<string>();
        for (var mutations = random.Next(0, 4); mutations > 0; mutations--)
        {
            Mutate(random, node, raw);
        }

        // Raw values (a lone surrogate, deep nesting) go in as text: the JSON writer would refuse to write them.
        var json = node.ToJsonString();
        for (var i = 0; i < raw.Count; i++)
        {
            json = json.Replace($"\"{RawPlaceholder}{i}\"", raw[i], StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(json);
    }

    private static object ValidBodyFor(string template, World world) => template switch
    {
        "/v1/leads" => Api.NewLeadBody(world.PartnerId),
        "/v1/leads/batch" => new { leads = new[] { Api.NewLeadBody(world.PartnerId), Api.NewLeadBody(world.PartnerId, externalId: "mkt-fuzz") } },
        _ when template.EndsWith("/accept", StringComparison.Ordinal) => Api.AcceptBody,
        _ when template.EndsWith("/decline", StringComparison.Ordinal) => Api.DeclineBody,
        _ when template.EndsWith("/won", StringComparison.Ordinal) => Api.WonBody,
        _ when template.EndsWith("/lost", StringComparison.Ordinal) => Api.LostBody,
        _ when template.EndsWith("/team", StringComparison.Ordinal) => Api.TeamMemberBody,
        "/v1/leads/{id}" => Api.EditBody,
        _ => new { },
    };

    private const string RawPlaceholder = "fuzz-raw-value-";

    /// <summary>Sets, removes or adds one member somewhere in the body.</summary>
    private static void Mutate(Random random, JsonNode node, List<string> raw)
    {
        var objects = Descendants(node).OfType<JsonObject>().ToList();
        if (objects.Count == 0)
        {
            return;
        }

        var target = Pick(random, objects);
        var names = target.Select(p => p.Key).ToList();
        switch (random.Next(4))
        {
            case 0 when names.Count > 0:
                target.Remove(Pick(random, names));
                break;
            case 1:
                target[Pick(random, ["unknown", "status", "id", "etag", "partnerId", "team"])] = JsonValue.Create(Pick(random, HostileStrings));
                break;
            case 2 when names.Count > 0:
                target[Pick(random, names)] = JsonValue.Create($"{RawPlaceholder}{raw.Count}");
                raw.Add(Pick(random, HostileJsonValues));
                break;
            default:
                if (names.Count > 0)
                {
                    target[Pick(random, names)] = JsonValue.Create(Pick(random, HostileStrings));
                }

                break;
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().ToList())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    /// <summary>Every operation of the contract the service serves, as (method, path template).</summary>
    private async Task<List<(string Method, string Template)>> OperationsAsync()
    {
        var document = await api.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(op => (op.Name.ToUpperInvariant(), path.Name)))
            .ToList();
        Assert.True(operations.Count >= 12, $"Only {operations.Count} operations in the contract.");
        return operations;
    }

    /// <summary>Leads in several stages of one partner, another partner's lead, and every kind of caller.</summary>
    private async Task<World> WorldAsync()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var sender = await api.NewSenderAsync();
        var received = await sender.CreateLeadAsync(partner.PartnerId, contactRequested: true);
        var accepted = await sender.AcceptedLeadAsync(partner);
        var theirs = await sender.CreateLeadAsync(other.PartnerId);
        var id = accepted.Id();
        var member = accepted.GetProperty("team")[0].Id();
        string[] leadIds =
        [
            received.Id(), id, id, theirs.Id(), Guid.CreateVersion7().ToString(), id.ToUpperInvariant(), $"{{{id}}}", Guid.Parse(id).ToString("N"),
            $"{id}%20", "not-a-guid", "..", "%2e%2e%2fetc", new string('f', 500), "00000000-0000-0000-0000-000000000000", "😀",
        ];
        string[] memberIds = [member, Guid.CreateVersion7().ToString(), "x", $"({member})", "1234"];
        return new World(
            partner.PartnerId,
            [partner.Admin, partner.Admin, partner.ReferralsAdmin, partner.Reader, other.Admin, sender.Client, api.CreateClient()],
            leadIds,
            memberIds,
            accepted.Str("etag"));
    }

    private sealed record World(Guid PartnerId, HttpClient[] Clients, string[] LeadIds, string[] MemberIds, string ETag);
}
