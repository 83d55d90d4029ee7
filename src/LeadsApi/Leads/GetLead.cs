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
        var lead = await db.Leads.AsNoTracking().GetVisibleAsync(query.Caller, query.LeadId, cancellationToken);
        return await presenter.PresentAsync(lead, query.Caller, time.GetUtcNowMicroseconds(), cancellationToken);
    }
}
