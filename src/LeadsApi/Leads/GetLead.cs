using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>A partner's user reads one of the partner's leads.</summary>
public sealed record GetLead(Caller Caller, Guid LeadId) : IQuery<LeadResponse>;

public sealed class GetLeadHandler(LeadsDbContext db, TimeProvider time, LeadPresenter presenter) : IQueryHandler<GetLead, LeadResponse>
{
    public async ValueTask<LeadResponse> Handle(GetLead query, CancellationToken cancellationToken)
    {
        var (lead, favorite) = await db.Leads.AsNoTracking().GetStarredAsync(db.Favorites, query.Caller, query.LeadId, cancellationToken);
        return presenter.Present(lead, favorite, time.GetUtcNowMicroseconds());
    }
}
