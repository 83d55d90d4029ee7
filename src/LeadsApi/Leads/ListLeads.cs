using System.Text.Json.Serialization;
using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>One page of leads. Follow nextLink for the next; it is absent on the last page.</summary>
/// <param name="Items">The leads of this page.</param>
/// <param name="NextLink">The next page; absent on the last page.</param>
/// <param name="DeltaLink">
/// Delta sync (sort=updatedAt) only, on its last page: keep it and read it later for the leads that changed since, then
/// follow that answer's nextLink and keep its deltaLink in turn. No change is ever skipped, however the writes interleave.
/// </param>
public sealed record LeadPage(
    IReadOnlyList<LeadResponse> Items,
    // Absent, not null, on the last page: clients loop "while nextLink is present".
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeltaLink = null);

/// <summary>A partner's user lists the partner's leads.</summary>
/// <param name="Caller">Who is asking.</param>
/// <param name="Filter">The query string, parsed and valid.</param>
public sealed record ListLeads(Caller Caller, LeadListFilter Filter) : IQuery<LeadPage>;

public sealed class ListLeadsHandler(
    LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, IOptions<EventsOptions> events, LeadPresenter presenter)
    : IQueryHandler<ListLeads, LeadPage>
{
    public async ValueTask<LeadPage> Handle(ListLeads query, CancellationToken cancellationToken)
    {
        query.Caller.EnsurePartnerUser();
        var now = time.GetUtcNowMicroseconds();
        var page = await db.FindPageAsync(query.Caller, query.Filter, now, options.Value.HotWindow, events.Value.FeedCatchUpWait, cancellationToken);
        return new LeadPage([.. page.Leads.Select(l => presenter.Present(l.Lead, l.Favorite, now))], page.NextLink, page.DeltaLink);
    }
}
