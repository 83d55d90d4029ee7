using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Mvc;

namespace LeadsApi.Leads;

/// <summary>The query string of <c>GET /v1/leads</c>. Values are checked here so errors name the parameter.</summary>
/// <param name="View">marketplace, qualified or favorites.</param>
/// <param name="Stage">received, accepted or archived.</param>
/// <param name="Status">received, accepted, won, lost, declined or expired.</param>
/// <param name="Type">customerInquiry, marketingQualified or salesQualified.</param>
/// <param name="Hot">true for leads whose customer asked for contact within the hot window; false for the rest.</param>
/// <param name="Q">Text to find in the company name, contact name or need (case-insensitive).</param>
/// <param name="UpdatedSince">Only leads changed at or after this time (RFC 3339), for delta sync.</param>
/// <param name="Sort">receivedAt, respondBy, updatedAt or estimatedValue (a partner's users only: a sender does not see the deal); prefix - for descending. Default -receivedAt. updatedAt (ascending) is the delta sync: the changes in the order they were committed, and a deltaLink on the last page.</param>
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

    /// <summary>
    /// The list the caller asks for, parsed once at the edge; throws <see cref="RequestValidationException"/> naming
    /// every parameter that is not valid.
    /// </summary>
    /// <param name="caller">Who asks: a sender may not sort by the partner's deal value.</param>
    /// <param name="sent">The names of the query parameters sent. Ones the call does not have are refused like unknown JSON
    /// members, since a misspelt filter would silently list everything.</param>
    public LeadListFilter ToFilter(Caller caller, IEnumerable<string> sent)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var errors = new ValidationErrors();
        var filter = LeadListFilter.Parse(this, errors);
        errors.Unknown(sent, Names);

        // The deal's value is the partner's: the order would rank the deals for a sender, and each cursor would carry an amount.
        if (caller.IsSender && filter.Sort.Key == LeadSort.EstimatedValueKey)
        {
            errors.Add("sort", $"{LeadSort.EstimatedValueKey} is the partner's deal value, which a sender does not see; sort by receivedAt, respondBy or updatedAt.");
        }

        return errors.IsEmpty ? filter : throw new RequestValidationException(errors.ToDictionary());
    }
}
