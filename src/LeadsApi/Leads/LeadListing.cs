using LeadsApi.Domain;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>The lists of leads, a partner's and a sender's: the filter as query expressions (the lead's rules read at <c>now</c>) and keyset paging.</summary>
public static class LeadListing
{
    /// <summary>
    /// One page of the leads the caller may see, filtered and sorted as asked, each with whether the calling user starred it
    /// (read in the same query), and the link to the next page.
    /// </summary>
    public static async Task<(IReadOnlyList<StarredLead> Leads, string? NextLink)> FindPageAsync(
        this LeadsDbContext db,
        Caller caller,
        LeadListFilter filter,
        DateTimeOffset now,
        TimeSpan hotWindow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(caller);
        var leads = db.Leads.AsNoTracking().VisibleTo(caller).Matching(filter, caller, db.Favorites, now, hotWindow);
        var partnerUser = caller.PartnerId is not null;
        var userId = caller.UserId;

        var page = await filter.Sort.Page(leads, filter.Cursor).Take(filter.Limit + 1)
            .Select(l => new StarredLead(l, partnerUser && db.Favorites.Any(f => f.PartnerId == l.PartnerId && f.LeadId == l.Id && f.UserId == userId)))
            .ToListAsync(cancellationToken);
        var hasMore = page.Count > filter.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var nextLink = hasMore
            ? $"/v1/leads?{filter.ToQueryString()}&cursor={filter.Sort.CursorAfter(page[^1].Lead).Encode()}"
            : null;
        return (page, nextLink);
    }

    /// <summary>The leads that match every filter given; status, stage and hot as <see cref="LeadRules"/> reads them at <paramref name="now"/>.</summary>
    public static IQueryable<Lead> Matching(
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
            leads = leads.Where(LeadRules.InStageAt(stage, now));
        }

        if (filter.Status is { } status)
        {
            leads = leads.Where(LeadRules.HasStatusAt(status, now));
        }

        if (filter.Type is { } type)
        {
            leads = leads.Where(l => l.Type == type);
        }

        if (filter.Hot is { } hot)
        {
            var isHot = LeadRules.IsHotAt(now, hotWindow);
            leads = leads.Where(hot ? isHot : isHot.Not());
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
}

/// <summary>A lead and whether the calling user starred it.</summary>
public sealed record StarredLead(Lead Lead, bool Favorite);
