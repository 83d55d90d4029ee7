using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>A sender lists the leads it sent, with the same filters and paging as a partner's list.</summary>
/// <param name="Caller">The sender.</param>
/// <param name="Filter">The query string, parsed and valid (no sort by the partner's deal value).</param>
public sealed record ListSentLeads(Caller Caller, LeadListFilter Filter) : IQuery<SenderLeadPage>;

public sealed class ListSentLeadsHandler(
    LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, IOptions<EventsOptions> events, LeadPresenter presenter)
    : IQueryHandler<ListSentLeads, SenderLeadPage>
{
    public async ValueTask<SenderLeadPage> Handle(ListSentLeads query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var page = await db.FindPageAsync(query.Caller, query.Filter, now, options.Value.HotWindow, events.Value.FeedCatchUpWait, cancellationToken);
        return new SenderLeadPage(presenter.PresentToSender([.. page.Leads.Select(l => l.Lead)], now), page.NextLink, page.DeltaLink);
    }
}
