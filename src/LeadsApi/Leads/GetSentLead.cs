using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>A sender reads a lead it sent.</summary>
public sealed record GetSentLead(Caller Caller, Guid LeadId) : IQuery<SenderLeadResponse>;

public sealed class GetSentLeadHandler(LeadsDbContext db, TimeProvider time, LeadPresenter presenter) : IQueryHandler<GetSentLead, SenderLeadResponse>
{
    public async ValueTask<SenderLeadResponse> Handle(GetSentLead query, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().GetVisibleAsync(query.Caller, query.LeadId, cancellationToken);
        return presenter.PresentToSender(lead, time.GetUtcNowMicroseconds());
    }
}
