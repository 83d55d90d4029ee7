using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq.Expressions;
using LeadsApi.Domain.Leads;

namespace LeadsApi.Leads;

/// <summary>A sort order of the list: a key, a direction, and the lead id to break ties.</summary>
public sealed record LeadSort(string Key, bool Descending)
{
    /// <summary>The deal's estimated value: the partner's, so a sender cannot sort by it.</summary>
    public const string EstimatedValueKey = "estimatedValue";

    public static readonly string[] Names = ["receivedAt", "respondBy", "updatedAt", EstimatedValueKey];
    public static readonly LeadSort Default = new("receivedAt", true);

    private static readonly Dictionary<string, SortKey> Keys = new(StringComparer.Ordinal)
    {
        ["receivedAt"] = SortKey.Time(l => l.ReceivedAt),
        ["respondBy"] = SortKey.Time(l => l.RespondBy),
        ["updatedAt"] = SortKey.Time(l => l.UpdatedAt),
        // Leads without a deal sort as if worth -1, below every real amount, so the key is never null.
        // The expression index ix_leads_partner_estimated_value matches the SQL this becomes.
        [EstimatedValueKey] = new SortKey<decimal>(
            l => (decimal?)l.Deal!.EstimatedValue.Amount ?? -1m,
            l => l.Deal?.EstimatedValue.Amount ?? -1m,
            v => v.ToString(CultureInfo.InvariantCulture),
            TryParseAmount),
    };

    public string Name => Descending ? "-" + Key : Key;

    public static LeadSort? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var descending = text.StartsWith('-');
        var key = descending ? text[1..] : text;
        return Names.Contains(key, StringComparer.Ordinal) ? new LeadSort(key, descending) : null;
    }

    /// <summary>Orders by the sort key then id, and starts after the cursor when there is one.</summary>
    public IQueryable<Lead> Page(IQueryable<Lead> leads, LeadCursor? cursor) => Keys[Key].Page(leads, Descending, cursor);

    /// <summary>The cursor whose page starts after <paramref name="lead"/>.</summary>
    public LeadCursor CursorAfter(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadCursor(Name, Keys[Key].ValueOf(lead), lead.Id);
    }

    /// <summary>Whether the paging query can read a cursor's value; an edited cursor must be a 400, not a 500 from the query.</summary>
    public bool Reads(string value) => Keys[Key].Reads(value);

    private static bool TryParseAmount(string value, out decimal amount) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out amount);

    private abstract class SortKey
    {
        public abstract IQueryable<Lead> Page(IQueryable<Lead> leads, bool descending, LeadCursor? cursor);

        public abstract string ValueOf(Lead lead);

        public abstract bool Reads(string value);

        public static SortKey<DateTimeOffset> Time(Expression<Func<Lead, DateTimeOffset>> key) => new(
            key,
            key.Compile(),
            v => v.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            (string value, out DateTimeOffset time) => DateTimeOffset.TryParse(
                value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time));
    }

    private delegate bool TryParse<T>(string value, [MaybeNullWhen(false)] out T parsed);

    /// <param name="key">What the query orders by.</param>
    /// <param name="read">The same key read from a loaded lead, for the next page's cursor.</param>
    /// <param name="format">How the key's value is written into a cursor.</param>
    /// <param name="parse">How it is read back.</param>
    private sealed class SortKey<T>(Expression<Func<Lead, T>> key, Func<Lead, T> read, Func<T, string> format, TryParse<T> parse) : SortKey
    {
        public override IQueryable<Lead> Page(IQueryable<Lead> leads, bool descending, LeadCursor? cursor) =>
            leads.OrderByKeyset(key, l => l.Id, descending, cursor is null ? null : (Parsed(cursor.Value), cursor.Id));

        public override string ValueOf(Lead lead) => format(read(lead));

        public override bool Reads(string value) => parse(value, out _);

        private T Parsed(string value) => parse(value, out var parsed) ? parsed : throw new FormatException("A cursor is read only after LeadCursor.Decode accepted it.");
    }
}
