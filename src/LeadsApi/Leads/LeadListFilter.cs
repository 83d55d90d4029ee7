using System.Globalization;
using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Limits;
using LeadsApi.Problems;

namespace LeadsApi.Leads;

/// <summary>The parsed, valid form of <see cref="ListLeadsParameters"/>.</summary>
public sealed record LeadListFilter(
    LeadView? View,
    LeadStage? Stage,
    LeadStatus? Status,
    LeadType? Type,
    bool? Hot,
    string? Q,
    DateTimeOffset? UpdatedSince,
    LeadSort Sort,
    int Limit,
    LeadCursor? Cursor)
{
    public static LeadListFilter Parse(ListLeadsParameters p, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(errors);
        var sort = LeadSort.Parse(p.Sort ?? LeadSort.Default.Name);
        if (sort is null)
        {
            errors.Add("sort", $"One of {string.Join(", ", LeadSort.Names)}, optionally prefixed with - for descending.");
        }

        var pageSize = errors.Parse<int>("limit", p.Limit, QueryValues.WholeNumber);
        errors.Range("limit", pageSize, FieldLimits.PageSize);
        var limit = pageSize ?? FieldLimits.PageSize.Default;

        LeadCursor? cursor = null;
        if (p.Cursor is not null && sort is not null)
        {
            cursor = LeadCursor.Decode(p.Cursor, sort);
            if (cursor is null)
            {
                errors.Add("cursor", "Not a cursor of this sort order; start again without a cursor.");
            }
        }

        errors.Text("q", p.Q, FieldLimits.SearchText);

        return new LeadListFilter(
            EnumValue<LeadView>(p.View, "view", errors),
            EnumValue<LeadStage>(p.Stage, "stage", errors),
            EnumValue<LeadStatus>(p.Status, "status", errors),
            EnumValue<LeadType>(p.Type, "type", errors),
            errors.Parse<bool>("hot", p.Hot, bool.TryParse),
            string.IsNullOrWhiteSpace(p.Q) ? null : p.Q.Trim(),
            errors.Parse<DateTimeOffset>("updatedSince", p.UpdatedSince, QueryValues.Timestamp),
            sort ?? LeadSort.Default,
            limit,
            cursor);
    }

    /// <summary>The query string that asks for the same list, without a cursor.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("view", Camel(View));
        Add("stage", Camel(Stage));
        Add("status", Camel(Status));
        Add("type", Camel(Type));
        Add("hot", Hot?.ToString().ToLowerInvariant());
        Add("q", Q);
        Add("updatedSince", UpdatedSince?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
        Add("sort", Sort.Name);
        Add("limit", Limit.ToString(CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    private static TEnum? EnumValue<TEnum>(string? text, string field, ValidationErrors errors) where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        var match = Enum.GetValues<TEnum>().Where(v => Camel<TEnum>(v) == text).Select(v => (TEnum?)v).FirstOrDefault();
        if (match is null)
        {
            errors.Add(field, $"One of {string.Join(", ", Enum.GetValues<TEnum>().Select(v => Camel<TEnum>(v)))}.");
        }

        return match;
    }

    private static string? Camel<TEnum>(TEnum? value) where TEnum : struct, Enum =>
        value is null ? null : JsonNamingPolicy.CamelCase.ConvertName(value.Value.ToString());
}
