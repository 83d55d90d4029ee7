using System.Text.Json.Serialization;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>One page of leads. Follow nextLink for the next; it is absent on the last page.</summary>
public sealed record LeadPage(
    IReadOnlyList<LeadResponse> Items,
    // Absent, not null, on the last page: clients loop "while nextLink is present".
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>A partner's user lists the partner's leads.</summary>
/// <param name="Caller">Who is asking.</param>
/// <param name="Filter">The query string, parsed and valid.</param>
public sealed record ListLeads(Caller Caller, LeadListFilter Filter) : IQuery<LeadPage>;

public sealed class ListLeadsHandler(LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, LeadPresenter presenter)
    : IQueryHandler<ListLeads, LeadPage>
{
    public async ValueTask<LeadPage> Handle(ListLeads query, CancellationToken cancellationToken)
    {
        query.Caller.EnsurePartnerUser();
        var now = time.GetUtcNowMicroseconds();
        var (leads, nextLink) = await db.FindPageAsync(query.Caller, query.Filter, now, options.Value.HotWindow, cancellationToken);
        return new LeadPage([.. leads.Select(l => presenter.Present(l.Lead, l.Favorite, now))], nextLink);
    }
}
