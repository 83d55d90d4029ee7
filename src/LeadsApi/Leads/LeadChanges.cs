using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>
/// The one shape of every change to a lead: load it for the caller (honouring If-Match), call one
/// method on the aggregate, save once, answer with the lead as the caller now sees it.
/// </summary>
public sealed class LeadChanges(LeadsDbContext db, TimeProvider time, LeadPresenter presenter)
{
    public async ValueTask<LeadResponse> ApplyAsync(
        Caller caller, Guid leadId, string? ifMatch, Action<Lead, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (lead, favorite, now) = await ChangeLeadAsync(caller, leadId, ifMatch, change, cancellationToken);
        return presenter.Present(lead, favorite, now);
    }

    /// <summary>The same, for changes that answer with something other than the lead: the lead's new ETag.</summary>
    public async ValueTask<string> ChangeAsync(
        Caller caller, Guid leadId, string? ifMatch, Action<Lead, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (lead, favorite, now) = await ChangeLeadAsync(caller, leadId, ifMatch, change, cancellationToken);
        return presenter.ETagOf(lead, favorite, now);
    }

    private async Task<(Lead Lead, bool Favorite, DateTimeOffset Now)> ChangeLeadAsync(
        Caller caller, Guid leadId, string? ifMatch, Action<Lead, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        // The lead and the caller's star in one read; the change and its timeline entry and events in one write.
        var (lead, favorite) = await db.Leads.GetStarredAsync(db.Favorites, caller, leadId, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        LeadETag.EnsureMatches(ifMatch, lead, presenter.ETagOf(lead, favorite, now));
        await WriteDownExpiryAsync(lead, now, cancellationToken);
        change(lead, now);
        await db.SaveChangesAsync(cancellationToken);
        return (lead, favorite, now);
    }

    /// <summary>
    /// A command that meets a lead past respondBy before the sweep did writes the expiry down, with its one
    /// lead.expired event, and then fails as the expired lead's action does. If the sweep (or another command)
    /// wrote it first, the stale version makes this write fail, and that one event stands.
    /// </summary>
    private async Task WriteDownExpiryAsync(Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!lead.Expire(now))
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else wrote it; the action below still answers that the lead expired.
        }
    }
}
