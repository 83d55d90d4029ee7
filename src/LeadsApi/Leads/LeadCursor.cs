using System.Text;
using System.Text.Json;

namespace LeadsApi.Leads;

/// <summary>Where a page ended: the sort key's value and the id of its last lead. Opaque to clients.</summary>
public sealed record LeadCursor(string Sort, string Value, Guid Id)
{
    public string Encode() =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static LeadCursor? Decode(string text, LeadSort sort)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sort);
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var cursor = JsonSerializer.Deserialize<LeadCursor>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            return cursor is not null && cursor.Sort == sort.Name && cursor.Value is not null && sort.Reads(cursor.Value) ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
