using LeadsApi.Domain.Leads;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>
/// Turns leads into responses: for a partner's user the full lead with its allowed actions and their star (read by the
/// same query as the lead); for the sender the sender's representation, with nothing of the partner's own work on it.
/// </summary>
public sealed class LeadPresenter(IOptions<LeadsOptions> options)
{
    private readonly TimeSpan _hotWindow = options.Value.HotWindow;

    /// <summary>A lead read with the caller's star in the same query: nothing left to look up.</summary>
    public LeadResponse Present(Lead lead, bool favorite, DateTimeOffset now) => LeadResponse.From(lead, now, _hotWindow, favorite);

    /// <summary>The ETag of the lead as <see cref="Present"/> would answer it, for a change that answers without the lead.</summary>
    public string ETagOf(Lead lead, bool favorite, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return LeadETag.Of(lead, lead.StatusAt(now), lead.ContactRequestAt(now, _hotWindow), favorite, senderView: false);
    }

    public SenderLeadResponse PresentToSender(Lead lead, DateTimeOffset now) => SenderLeadResponse.From(lead, now, _hotWindow);

    public IReadOnlyList<SenderLeadResponse> PresentToSender(IReadOnlyList<Lead> leads, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leads);
        return [.. leads.Select(l => PresentToSender(l, now))];
    }
}
