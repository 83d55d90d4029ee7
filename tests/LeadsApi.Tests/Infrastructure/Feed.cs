using System.Text.Json;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>Reading the change feed as an integrator does: from a cursor, following nextLink.</summary>
public static class Feed
{
    /// <summary>Every event after <paramref name="after"/>, page by page, and the cursor to continue from.</summary>
    public static async Task<(List<JsonElement> Events, string Cursor)> ReadAllAsync(this HttpClient client, string? after = null, int limit = 100)
    {
        ArgumentNullException.ThrowIfNull(client);
        var events = new List<JsonElement>();
        var path = after is null ? $"/v1/events?limit={limit}" : $"/v1/events?after={after}&limit={limit}";
        while (true)
        {
            var page = await client.GetJsonAsync(path);
            events.AddRange(page.GetProperty("items").EnumerateArray());
            path = page.Str("nextLink");
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                return (events, page.Str("cursor"));
            }
        }
    }

    public static string[] Types(this IEnumerable<JsonElement> events) => [.. events.Select(e => e.Str("type"))];

    public static IEnumerable<JsonElement> About(this IEnumerable<JsonElement> events, string leadId) =>
        events.Where(e => e.Str("leadId") == leadId);

    public static Dictionary<string, (string? Previous, string? Current)> Changes(this JsonElement message) =>
        message.GetProperty("data").GetProperty("changes").EnumerateArray().ToDictionary(
            c => c.Str("field"),
            c => (c.GetProperty("previous").GetString(), c.GetProperty("current").GetString()));
}
