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
        // The lead and the caller's star in one read; the change and its timeline entry and events in one write.
        var (lead, favorite) = await db.Leads.GetStarredAsync(db.Favorites, caller, leadId, cancellationToken);
        LeadETag.EnsureMatches(ifMatch, lead);
        var now = await ApplyAsync(lead, change, cancellationToken);
        return presenter.Present(lead, favorite, now);
    }

    /// <summary>The same, for changes that answer with something other than the lead.</summary>
    public async ValueTask<(Lead Lead, DateTimeOffset Now)> ChangeAsync(
        Caller caller, Guid leadId, string? ifMatch, Action<Lead, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var lead = await db.Leads.GetForUpdateAsync(caller, leadId, ifMatch, cancellationToken);
        return (lead, await ApplyAsync(lead, change, cancellationToken));
    }

    private async Task<DateTimeOffset> ApplyAsync(Lead lead, Action<Lead, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        await WriteDownExpiryAsync(lead, now, cancellationToken);
        change(lead, now);
        await db.SaveChangesAsync(cancellationToken);
        return now;
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
