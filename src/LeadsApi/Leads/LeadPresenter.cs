using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>
/// Turns leads into responses: for a partner's user the full lead with its allowed actions and their star;
/// for the sender the sender's representation, with nothing of the partner's own work on the lead.
/// </summary>
public sealed class LeadPresenter(LeadsDbContext db, IOptions<LeadsOptions> options)
{
    private readonly TimeSpan _hotWindow = options.Value.HotWindow;

    public async Task<LeadResponse> PresentAsync(Lead lead, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var page = await PresentAsync([lead], caller, now, cancellationToken);
        return page[0];
    }

    public async Task<IReadOnlyList<LeadResponse>> PresentAsync(IReadOnlyList<Lead> leads, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsurePartnerUser();
        var favorites = await FavoritesAmongAsync(leads, caller, cancellationToken);
        return [.. leads.Select(l => LeadResponse.From(l, now, _hotWindow, favorites.Contains(l.Id)))];
    }

    public SenderLeadResponse PresentToSender(Lead lead, DateTimeOffset now) => SenderLeadResponse.From(lead, now, _hotWindow);

    public IReadOnlyList<SenderLeadResponse> PresentToSender(IReadOnlyList<Lead> leads, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leads);
        return [.. leads.Select(l => PresentToSender(l, now))];
    }

    private async Task<HashSet<Guid>> FavoritesAmongAsync(IReadOnlyList<Lead> leads, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.PartnerId is not { } partnerId || leads.Count == 0)
        {
            return [];
        }

        var ids = leads.Select(l => l.Id).ToList();
        var starred = await db.Favorites.AsNoTracking()
            .Where(f => f.PartnerId == partnerId && f.UserId == caller.UserId && ids.Contains(f.LeadId))
            .Select(f => f.LeadId)
            .ToListAsync(cancellationToken);
        return [.. starred];
    }
}
