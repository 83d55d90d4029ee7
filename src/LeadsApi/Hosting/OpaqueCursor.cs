using System.Text;
using System.Text.Json;

namespace LeadsApi.Hosting;

/// <summary>Cursors as clients see them: a record as base64url JSON, opaque and safe in a query string.</summary>
public static class OpaqueCursor
{
    public static string Encode<T>(T cursor) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(cursor)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The record a cursor holds, or null when the text is not one.</summary>
    public static T? Decode<T>(string text) where T : class
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return JsonSerializer.Deserialize<T>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
