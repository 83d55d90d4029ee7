using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>The query string of <c>GET /v1/leads</c>. Values are checked here so errors name the parameter.</summary>
/// <param name="View">marketplace, qualified or favorites.</param>
/// <param name="Stage">received, accepted or archived.</param>
/// <param name="Status">received, accepted, won, lost, declined or expired.</param>
/// <param name="Type">customerInquiry, marketingQualified or salesQualified.</param>
/// <param name="Hot">true for leads whose customer asked for contact within the hot window; false for the rest.</param>
/// <param name="Q">Text to find in the company name, contact name or need (case-insensitive).</param>
/// <param name="UpdatedSince">Only leads changed at or after this time (RFC 3339), for delta sync.</param>
/// <param name="Sort">receivedAt, respondBy, updatedAt or estimatedValue (a partner's users only: a sender does not see the deal); prefix - for descending. Default -receivedAt.</param>
/// <param name="Limit">Page size.</param>
/// <param name="Cursor">The cursor from the previous page's nextLink.</param>
public sealed record ListLeadsParameters(
    [FromQuery(Name = "view"), PublishedAs(typeof(LeadView))] string? View,
    [FromQuery(Name = "stage"), PublishedAs(typeof(LeadStage))] string? Stage,
    [FromQuery(Name = "status"), PublishedAs(typeof(LeadStatus))] string? Status,
    [FromQuery(Name = "type"), PublishedAs(typeof(LeadType))] string? Type,
    [FromQuery(Name = "hot"), PublishedAs(typeof(bool))] string? Hot,
    [FromQuery(Name = "q"), Limit(nameof(FieldLimits.SearchText))] string? Q,
    [FromQuery(Name = "updatedSince"), PublishedAs(typeof(DateTimeOffset))] string? UpdatedSince,
    [FromQuery(Name = "sort"), PublishedAs(typeof(LeadSort))] string? Sort,
    [FromQuery(Name = "limit"), PublishedAs(typeof(int)), Limit(nameof(FieldLimits.PageSize))] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public static readonly string[] Names = ["view", "stage", "status", "type", "hot", "q", "updatedSince", "sort", "limit", "cursor"];

    /// <param name="errors">Where each invalid parameter is reported.</param>
    /// <param name="unknown">Query parameters the call does not have: refused like unknown JSON members, since a misspelt filter would silently list everything.</param>
    public void Validate(ValidationErrors errors, IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(unknown);
        LeadListFilter.Parse(this, errors);
        foreach (var name in unknown)
        {
            errors.Add(name, $"Not a parameter of this call; it takes {string.Join(", ", Names)}.");
        }
    }
}

/// <summary>One page of leads. Follow nextLink for the next; it is absent on the last page.</summary>
public sealed record LeadPage(
    IReadOnlyList<LeadResponse> Items,
    // Absent, not null, on the last page: clients loop "while nextLink is present".
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>A partner's user lists the partner's leads.</summary>
/// <param name="Caller">Who is asking.</param>
/// <param name="Parameters">The query string, as bound.</param>
/// <param name="Unknown">Query parameters the call does not have.</param>
public sealed record ListLeads(Caller Caller, ListLeadsParameters Parameters, IReadOnlyList<string> Unknown) : IQuery<LeadPage>, IValidatable
{
    public void Validate(ValidationErrors errors) => Parameters.Validate(errors, Unknown);
}

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
        var sort = LeadSort.Parse(p.Sort ?? "-receivedAt");
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

/// <summary>A sort order of the list: a key, a direction, and the lead id to break ties.</summary>
public sealed record LeadSort(string Key, bool Descending)
{
    /// <summary>The deal's estimated value: the partner's, so a sender cannot sort by it.</summary>
    public const string EstimatedValueKey = "estimatedValue";

    public static readonly string[] Names = ["receivedAt", "respondBy", "updatedAt", EstimatedValueKey];
    public static readonly LeadSort Default = new("receivedAt", true);

    public string Name => Descending ? "-" + Key : Key;

    public static LeadSort? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var descending = text.StartsWith('-');
        var key = descending ? text[1..] : text;
        return Names.Contains(key, StringComparer.Ordinal) ? new LeadSort(key, descending) : null;
    }
}

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
            return cursor is not null && cursor.Sort == sort.Name && cursor.Value is not null && FitsKey(cursor.Value, sort.Key) ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether the paging query can parse the value; an edited cursor must be a 400, not a 500 from the query.</summary>
    private static bool FitsKey(string value, string key) => key == "estimatedValue"
        ? decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out _);
}

public sealed class ListLeadsHandler(LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, LeadPresenter presenter)
    : IQueryHandler<ListLeads, LeadPage>
{
    public async ValueTask<LeadPage> Handle(ListLeads query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var (leads, nextLink) = await db.FindPageAsync(query.Caller, query.Parameters, now, options.Value.HotWindow, cancellationToken);
        return new LeadPage(await presenter.PresentAsync(leads, query.Caller, now, cancellationToken), nextLink);
    }
}

/// <summary>The list's filters and keyset paging as query expressions, with "expired" computed at <c>now</c>.</summary>
public static class LeadListing
{
    /// <summary>One page of the leads the caller may see, filtered and sorted as asked, and the link to the next page.</summary>
    public static async Task<(IReadOnlyList<Lead> Leads, string? NextLink)> FindPageAsync(
        this LeadsDbContext db,
        Caller caller,
        ListLeadsParameters parameters,
        DateTimeOffset now,
        TimeSpan hotWindow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var filter = LeadListFilter.Parse(parameters, new ValidationErrors());
        var leads = db.Leads.AsNoTracking().VisibleTo(caller).Filter(filter, caller, db.Favorites, now, hotWindow);

        var page = await leads.Page(filter.Sort, filter.Cursor).Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var hasMore = page.Count > filter.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var nextLink = hasMore
            ? $"/v1/leads?{filter.ToQueryString()}&cursor={CursorAfter(page[^1], filter.Sort).Encode()}"
            : null;
        return (page, nextLink);
    }

    public static IQueryable<Lead> Filter(
        this IQueryable<Lead> leads,
        LeadListFilter filter,
        Caller caller,
        IQueryable<Favorite> favorites,
        DateTimeOffset now,
        TimeSpan hotWindow)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(caller);
        leads = filter.View switch
        {
            LeadView.Marketplace => leads.Where(l => l.Type == LeadType.CustomerInquiry),
            LeadView.Qualified => leads.Where(l => l.Type != LeadType.CustomerInquiry),
            LeadView.Favorites => leads.StarredBy(caller, favorites),
            _ => leads,
        };
        if (filter.Stage is { } stage)
        {
            leads = leads.InStage(stage, now);
        }

        if (filter.Status is { } status)
        {
            leads = leads.WithStatus(status, now);
        }

        if (filter.Type is { } type)
        {
            leads = leads.Where(l => l.Type == type);
        }

        if (filter.Hot is { } hot)
        {
            // Hot: the customer asked for a call less than the hot window ago, and the lead is still open.
            var hotSince = now - hotWindow;
            leads = hot
                ? leads.Where(l => l.ContactRequested && l.ReceivedAt > hotSince
                    && (l.Status == LeadStatus.Accepted || l.Status == LeadStatus.Received && l.RespondBy > now))
                : leads.Where(l => !(l.ContactRequested && l.ReceivedAt > hotSince
                    && (l.Status == LeadStatus.Accepted || l.Status == LeadStatus.Received && l.RespondBy > now)));
        }

        if (filter.Q is { } q)
        {
            var pattern = "%" + q.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            // Name the escape character: for a parameter pattern Npgsql otherwise sends ESCAPE '', and the backslashes match themselves.
            leads = leads.Where(l =>
                EF.Functions.ILike(l.Customer.CompanyName, pattern, @"\") ||
                EF.Functions.ILike(l.Customer.ContactName, pattern, @"\") ||
                EF.Functions.ILike(l.Need, pattern, @"\"));
        }

        if (filter.UpdatedSince is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            leads = leads.Where(l => l.UpdatedAt >= sinceUtc);
        }

        return leads;
    }

    public static IQueryable<Lead> StarredBy(this IQueryable<Lead> leads, Caller caller, IQueryable<Favorite> favorites)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var userId = caller.UserId;
        return leads.Where(l => favorites.Any(f => f.PartnerId == l.PartnerId && f.UserId == userId && f.LeadId == l.Id));
    }

    public static IQueryable<Lead> InStage(this IQueryable<Lead> leads, LeadStage stage, DateTimeOffset now) => stage switch
    {
        LeadStage.Received => leads.Where(l => l.Status == LeadStatus.Received && l.RespondBy > now),
        LeadStage.Accepted => leads.Where(l => l.Status == LeadStatus.Accepted),
        _ => leads.Where(l => l.Status != LeadStatus.Received && l.Status != LeadStatus.Accepted
                              || l.Status == LeadStatus.Received && l.RespondBy <= now),
    };

    public static IQueryable<Lead> WithStatus(this IQueryable<Lead> leads, LeadStatus status, DateTimeOffset now) => status switch
    {
        LeadStatus.Received => leads.Where(l => l.Status == LeadStatus.Received && l.RespondBy > now),
        LeadStatus.Expired => leads.Where(l => l.Status == LeadStatus.Expired || l.Status == LeadStatus.Received && l.RespondBy <= now),
        _ => leads.Where(l => l.Status == status),
    };

    /// <summary>Orders by the sort key then id, and starts after the cursor when there is one.</summary>
    public static IQueryable<Lead> Page(this IQueryable<Lead> leads, LeadSort sort, LeadCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(sort);
        return sort.Key switch
        {
            "respondBy" => leads.Page(l => l.RespondBy, sort, cursor, ParseTime),
            "updatedAt" => leads.Page(l => l.UpdatedAt, sort, cursor, ParseTime),
            "estimatedValue" => leads.Page(EstimatedAmount, sort, cursor, v => decimal.Parse(v, CultureInfo.InvariantCulture)),
            _ => leads.Page(l => l.ReceivedAt, sort, cursor, ParseTime),
        };
    }

    public static LeadCursor CursorAfter(Lead lead, LeadSort sort)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(sort);
        var value = sort.Key switch
        {
            "respondBy" => FormatTime(lead.RespondBy),
            "updatedAt" => FormatTime(lead.UpdatedAt),
            "estimatedValue" => (lead.Deal?.EstimatedValue.Amount ?? -1m).ToString(CultureInfo.InvariantCulture),
            _ => FormatTime(lead.ReceivedAt),
        };
        return new LeadCursor(sort.Name, value, lead.Id);
    }

    /// <summary>
    /// Leads without a deal sort as if worth -1, below every real amount, so the key is never null.
    /// The expression index ix_leads_partner_estimated_value matches the SQL this becomes.
    /// </summary>
    private static readonly Expression<Func<Lead, decimal>> EstimatedAmount =
        l => (decimal?)l.Deal!.EstimatedValue.Amount ?? -1m;

    private static IQueryable<Lead> Page<TKey>(
        this IQueryable<Lead> leads,
        Expression<Func<Lead, TKey>> key,
        LeadSort sort,
        LeadCursor? cursor,
        Func<string, TKey> parse)
    {
        if (cursor is not null)
        {
            leads = leads.Where(After(key, parse(cursor.Value), cursor.Id, sort.Descending));
        }

        return sort.Descending
            ? leads.OrderByDescending(key).ThenByDescending(l => l.Id)
            : leads.OrderBy(key).ThenBy(l => l.Id);
    }

    /// <summary>key > value OR (key = value AND id > lastId), or the mirror image when descending.</summary>
    private static Expression<Func<Lead, bool>> After<TKey>(Expression<Func<Lead, TKey>> key, TKey value, Guid lastId, bool descending)
    {
        var lead = key.Parameters[0];
        var boundValue = Bound(value);
        var boundId = Bound(lastId);
        var idComparison = Expression.Call(Expression.Property(lead, nameof(Lead.Id)), nameof(Guid.CompareTo), null, boundId);
        var zero = Expression.Constant(0);
        var beyond = descending
            ? Expression.OrElse(
                Expression.LessThan(key.Body, boundValue),
                Expression.AndAlso(Expression.Equal(key.Body, boundValue), Expression.LessThan(idComparison, zero)))
            : Expression.OrElse(
                Expression.GreaterThan(key.Body, boundValue),
                Expression.AndAlso(Expression.Equal(key.Body, boundValue), Expression.GreaterThan(idComparison, zero)));
        return Expression.Lambda<Func<Lead, bool>>(beyond, lead);
    }

    /// <summary>A value read through a closure, so EF sends it as a parameter rather than a literal.</summary>
    private static MemberExpression Bound<T>(T value) =>
        Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    private sealed record Box<T>(T Value);

    private static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
