using LeadsApi.Domain;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>The lists of leads, a partner's and a sender's: the filter as query expressions (the lead's rules read at <c>now</c>) and keyset paging.</summary>
public static class LeadListing
{
    /// <summary>
    /// One page of the leads the caller may see, filtered and sorted as asked, each with whether the calling user starred it
    /// (read in the same query), and the link to the next page. In the delta sync's order (<see cref="LeadSort.IsSync"/>)
    /// only leads below the commit horizon are read, after waiting up to <paramref name="catchUpWait"/> for the changes
    /// acknowledged before the request; its last page links to what changes next (<see cref="FoundPage.DeltaLink"/>).
    /// </summary>
    public static async Task<FoundPage> FindPageAsync(
        this LeadsDbContext db,
        Caller caller,
        LeadListFilter filter,
        DateTimeOffset now,
        TimeSpan hotWindow,
        TimeSpan catchUpWait,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(caller);
        var leads = db.Leads.AsNoTracking().VisibleTo(caller).Matching(filter, caller, db.Favorites, now, hotWindow);
        long? horizon = filter.Sort.IsSync ? await db.CatchUpAsync(catchUpWait, cancellationToken) : null;
        if (horizon is { } below)
        {
            leads = leads.Where(l => EF.Property<long>(l, LeadConfiguration.ChangePosition) < below);
        }

        var partnerUser = caller.PartnerId is not null;
        var userId = caller.UserId;
        var page = await filter.Sort.Page(leads, filter.Cursor).Take(filter.Limit + 1)
            .Select(l => new StarredLead(
                l,
                partnerUser && db.Favorites.Any(f => f.PartnerId == l.PartnerId && f.LeadId == l.Id && f.UserId == userId),
                EF.Property<long>(l, LeadConfiguration.ChangePosition)))
            .ToListAsync(cancellationToken);
        var hasMore = page.Count > filter.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
            return new FoundPage(page, $"/v1/leads?{filter.ToQueryString()}&cursor={filter.Sort.CursorAfter(page[^1]).Encode()}", null);
        }

        // Everything below the horizon that matches has been read: the next sync starts there. updatedSince chose where the
        // first sync began; from here on the cursor does, so a change whose writer's clock ran behind is not left out.
        var deltaLink = horizon is { } end
            ? $"/v1/leads?{(filter with { UpdatedSince = null }).ToQueryString()}&cursor={filter.Sort.CursorAtHorizon(end).Encode()}"
            : null;
        return new FoundPage(page, null, deltaLink);
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

/// <summary>A lead, whether the calling user starred it, and where its last change stands in the delta sync's order.</summary>
public sealed record StarredLead(Lead Lead, bool Favorite, long ChangePosition);

/// <summary>A page of leads, the link to the next page while there is one, and on the delta sync's last page the link to what changes next.</summary>
public sealed record FoundPage(IReadOnlyList<StarredLead> Leads, string? NextLink, string? DeltaLink);
