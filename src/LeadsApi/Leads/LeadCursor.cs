using LeadsApi.Hosting;

namespace LeadsApi.Leads;

/// <summary>Where a page ended: the sort key's value and the id of its last lead. Opaque to clients.</summary>
public sealed record LeadCursor(string Sort, string Value, Guid Id)
{
    public string Encode() => OpaqueCursor.Encode(this);

    public static LeadCursor? Decode(string text, LeadSort sort)
    {
        ArgumentNullException.ThrowIfNull(sort);
        var cursor = OpaqueCursor.Decode<LeadCursor>(text);
        return cursor is not null && cursor.Sort == sort.Name && cursor.Value is not null && sort.Reads(cursor.Value) ? cursor : null;
    }
}
