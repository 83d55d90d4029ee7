using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>Tenancy and loading rules shared by every lead query: what a caller may see, and nothing more.</summary>
public static class LeadQueries
{
    /// <summary>A partner's users see the partner's leads; a sender sees the leads it sent.</summary>
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.PartnerId is { } partnerId)
        {
            return leads.Where(l => l.PartnerId == partnerId);
        }

        if (caller.SenderId is { } senderId)
        {
            return leads.Where(l => l.Sender.Id == senderId);
        }

        return leads.Where(_ => false);
    }

    public static async Task<Lead> GetVisibleAsync(this IQueryable<Lead> leads, Caller caller, Guid leadId, CancellationToken cancellationToken) =>
        await leads.VisibleTo(caller).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken)
        ?? throw new LeadNotFoundException(leadId);

    /// <summary>A partner's user's lead and whether that user starred it, in one query.</summary>
    public static async Task<(Lead Lead, bool Favorite)> GetStarredAsync(
        this IQueryable<Lead> leads, IQueryable<Favorite> favorites, Caller caller, Guid leadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsurePartnerUser();
        var row = await leads.VisibleTo(caller).Where(l => l.Id == leadId)
            .Select(l => new { Lead = l, Favorite = favorites.Any(f => f.PartnerId == l.PartnerId && f.LeadId == l.Id && f.UserId == caller.UserId) })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new LeadNotFoundException(leadId);
        return (row.Lead, row.Favorite);
    }

    /// <summary>Loads a lead for a change, honouring the caller's If-Match when one was sent.</summary>
    public static async Task<Lead> GetForUpdateAsync(this DbSet<Lead> leads, Caller caller, Guid leadId, string? ifMatch, CancellationToken cancellationToken)
    {
        var lead = await leads.GetVisibleAsync(caller, leadId, cancellationToken);
        LeadETag.EnsureMatches(ifMatch, lead);
        return lead;
    }
}

/// <summary>The lead's ETag is its row version, quoted.</summary>
public static class LeadETag
{
    public static string Of(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return $"\"{lead.Version}\"";
    }

    public static void EnsureMatches(string? ifMatch, Lead lead)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        var current = Of(lead);
        // Strong comparison (RFC 9110): a weak W/"..." tag never matches If-Match.
        var matches = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(current, StringComparer.Ordinal);
        if (!matches)
        {
            throw new LeadPreconditionFailedException(current);
        }
    }
}

public static class TimeProviderExtensions
{
    /// <summary>Now, cut to whole microseconds: what PostgreSQL stores, so a lead reads back as it was written.</summary>
    public static DateTimeOffset GetUtcNowMicroseconds(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
