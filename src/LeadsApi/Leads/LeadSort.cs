using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq.Expressions;
using LeadsApi.Domain.Leads;
using LeadsApi.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>A sort order of the list: a key, a direction, and the lead id to break ties.</summary>
public sealed record LeadSort(string Key, bool Descending)
{
    public const string UpdatedAtKey = "updatedAt";

    /// <summary>The deal's estimated value: the partner's, so a sender cannot sort by it.</summary>
    public const string EstimatedValueKey = "estimatedValue";

    public static readonly string[] Names = ["receivedAt", "respondBy", UpdatedAtKey, EstimatedValueKey];
    public static readonly LeadSort Default = new("receivedAt", true);

    private static readonly Dictionary<string, SortKey> Keys = new(StringComparer.Ordinal)
    {
        ["receivedAt"] = SortKey.Time(l => l.ReceivedAt),
        ["respondBy"] = SortKey.Time(l => l.RespondBy),
        [UpdatedAtKey] = SortKey.Time(l => l.UpdatedAt),
        // Leads without a deal sort as if worth -1, below every real amount, so the key is never null.
        // The expression index ix_leads_partner_estimated_value matches the SQL this becomes.
        [EstimatedValueKey] = new SortKey<decimal>(
            l => (decimal?)l.Deal!.EstimatedValue.Amount ?? -1m,
            row => row.Lead.Deal?.EstimatedValue.Amount ?? -1m,
            v => v.ToString(CultureInfo.InvariantCulture),
            TryParseAmount),
    };

    /// <summary>
    /// The delta sync's order, <c>sort=updatedAt</c> ascending: by the transaction that last wrote each lead (its change
    /// position), read below the <see cref="Persistence.CommitHorizon"/>, so a change that commits after a page was read
    /// lands after that page, never behind it. That is updatedAt's order but for changes made at the same moment, whose
    /// updatedAt (the writer's clock) can be a little out of their commit order. <c>-updatedAt</c> is a browsing order by
    /// updatedAt itself.
    /// </summary>
    public bool IsSync => Key == UpdatedAtKey && !Descending;

    private static readonly SortKey SyncPosition = new SortKey<long>(
        l => EF.Property<long>(l, LeadConfiguration.ChangePosition),
        row => row.ChangePosition,
        v => v.ToString(CultureInfo.InvariantCulture),
        (string value, out long position) => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out position));

    private SortKey Order => IsSync ? SyncPosition : Keys[Key];

    public string Name => Descending ? "-" + Key : Key;

    public static LeadSort? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var descending = text.StartsWith('-');
        var key = descending ? text[1..] : text;
        return Names.Contains(key, StringComparer.Ordinal) ? new LeadSort(key, descending) : null;
    }

    /// <summary>Orders by the sort key then id, and starts after the cursor when there is one.</summary>
    public IQueryable<Lead> Page(IQueryable<Lead> leads, LeadCursor? cursor) => Order.Page(leads, Descending, cursor);

    /// <summary>The cursor whose page starts after <paramref name="row"/>.</summary>
    public LeadCursor CursorAfter(StarredLead row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new LeadCursor(Name, Order.ValueOf(row), row.Lead.Id);
    }

    /// <summary>The delta sync's cursor after everything below <paramref name="horizon"/>: what changes from then on.</summary>
    public LeadCursor CursorAtHorizon(long horizon) =>
        IsSync ? new LeadCursor(Name, horizon.ToString(CultureInfo.InvariantCulture), Guid.Empty)
            : throw new InvalidOperationException("Only the delta sync's order reads up to a horizon.");

    /// <summary>Whether the paging query can read a cursor's value; an edited cursor must be a 400, not a 500 from the query.</summary>
    public bool Reads(string value) => Order.Reads(value);

    private static bool TryParseAmount(string value, out decimal amount) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out amount);

    private abstract class SortKey
    {
        public abstract IQueryable<Lead> Page(IQueryable<Lead> leads, bool descending, LeadCursor? cursor);

        public abstract string ValueOf(StarredLead row);

        public abstract bool Reads(string value);

        public static SortKey<DateTimeOffset> Time(Expression<Func<Lead, DateTimeOffset>> key)
        {
            var read = key.Compile();
            return new(
                key,
                row => read(row.Lead),
                v => v.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                (string value, out DateTimeOffset time) => DateTimeOffset.TryParse(
                    value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time));
        }
    }

    private delegate bool TryParse<T>(string value, [MaybeNullWhen(false)] out T parsed);

    /// <param name="key">What the query orders by.</param>
    /// <param name="read">The same key read from a loaded row, for the next page's cursor.</param>
    /// <param name="format">How the key's value is written into a cursor.</param>
    /// <param name="parse">How it is read back.</param>
    private sealed class SortKey<T>(Expression<Func<Lead, T>> key, Func<StarredLead, T> read, Func<T, string> format, TryParse<T> parse) : SortKey
    {
        public override IQueryable<Lead> Page(IQueryable<Lead> leads, bool descending, LeadCursor? cursor) =>
            leads.OrderByKeyset(key, l => l.Id, descending, cursor is null ? null : (Parsed(cursor.Value), cursor.Id));

        public override string ValueOf(StarredLead row) => format(read(row));

        public override bool Reads(string value) => parse(value, out _);

        private T Parsed(string value) => parse(value, out var parsed) ? parsed : throw new FormatException("A cursor is read only after LeadCursor.Decode accepted it.");
    }
}
