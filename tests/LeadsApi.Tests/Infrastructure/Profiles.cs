using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>Business profiles and requests for the matching and routing tests.</summary>
public static class Profiles
{
    // Countries no other test's partner works in: each matching test takes its own, so the partners other tests of
    // the class saved are never its candidates (matching considers every profile in the customer's country).
    private static readonly string[] Countries =
        ["IS", "MT", "LU", "EE", "LV", "LT", "SI", "SK", "HR", "CY", "BG", "RO", "GR", "HU", "CZ", "AT", "DK", "FI", "IE", "BE", "NL", "NO", "CH", "PL"];

    private static int _next = -1;

    /// <summary>A country that no earlier call handed out, in this test process.</summary>
    public static string UnusedCountry() => Countries[Interlocked.Increment(ref _next) % Countries.Length];

    /// <summary>A word no other test uses: keeps candidates found by keyword to the test's own partners.</summary>
    public static string UniqueWord() => $"w{Guid.NewGuid():N}"[..12];

    public static object Body(
        string country,
        string[] keywords,
        string[]? industries = null,
        string[]? leadTypes = null,
        int? weeklyCapacity = null,
        object? pause = null,
        string city = "Capital",
        string region = "Central") => new
        {
            expertiseKeywords = keywords,
            industries = industries ?? ["retail"],
            companySizes = new[] { "small", "medium" },
            businessModels = new[] { "projectServices" },
            leadTypes = leadTypes ?? [],
            languages = new[] { "en" },
            locations = new[]
            {
                new
                {
                    name = "Main office",
                    country,
                    region,
                    city,
                    contact = new { name = "Li Chen", email = "li@contoso.example", phone = "+351 21 000 0001" },
                },
            },
            weeklyCapacity,
            pause,
        };

    public static async Task<JsonElement> SaveProfileAsync(this PartnerClients partner, object body)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return await (await partner.Admin.PutAsJsonAsync("/v1/partners/me/profile", body)).ShouldBeAsync(HttpStatusCode.OK);
    }

    /// <summary>A request that finds the partners of <paramref name="country"/> and of <paramref name="keywords"/>.</summary>
    public static object Request(string country, string[] keywords, string leadType = "customerInquiry", int? limit = null, object? customer = null) => new
    {
        leadType,
        keywords,
        industry = "retail",
        companySize = "small",
        country,
        language = "en",
        customer,
        limit,
    };

    public static async Task<JsonElement> FindMatchesAsync(this HttpClient client, object request) =>
        await (await client.PostAsJsonAsync("/v1/matches", request)).ShouldBeAsync(HttpStatusCode.OK);

    public static async Task<HttpClient> PlatformClientAsync(this LeadsApiFactory api, string name = "Matching desk")
    {
        ArgumentNullException.ThrowIfNull(api);
        await using var scope = api.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync(name, CancellationToken.None);
        return api.ClientWithKey(key.ApiKey);
    }

    /// <summary>The ranked partners' ids, best first.</summary>
    public static string[] RankedIds(this JsonElement matches) =>
        [.. matches.GetProperty("partners").EnumerateArray().Select(p => p.Str("partnerId"))];

    public static JsonElement Component(this JsonElement ranked, string component) =>
        ranked.GetProperty("components").EnumerateArray().Single(c => c.Str("component") == component);
}
