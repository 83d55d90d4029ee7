using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>One thing that happened to a lead.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="Kind">What happened: received, accepted, declined, dealEdited, teamMemberAdded, teamMemberRemoved, won, lost, expired.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it: a partner's user, the sender, or the system (expiry).</param>
/// <param name="FromStatus">The status before; null for the first entry.</param>
/// <param name="ToStatus">The status after.</param>
/// <param name="Changes">The fields it changed, before and after, as text.</param>
public sealed record TimelineEntryResponse(
    Guid Id,
    LeadChangeKind Kind,
    DateTimeOffset At,
    Actor Actor,
    LeadStatus? FromStatus,
    LeadStatus ToStatus,
    IReadOnlyList<FieldChange> Changes);

/// <summary>A lead's timeline, oldest first.</summary>
public sealed record TimelineResponse(IReadOnlyList<TimelineEntryResponse> Items);

/// <summary>A partner's user reads a lead's whole timeline; its sender reads <see cref="GetSentLeadTimeline"/>.</summary>
public sealed record GetLeadTimeline(Caller Caller, Guid LeadId) : IQuery<TimelineResponse>;

public sealed class GetLeadTimelineHandler(LeadsDbContext db) : IQueryHandler<GetLeadTimeline, TimelineResponse>
{
    public async ValueTask<TimelineResponse> Handle(GetLeadTimeline query, CancellationToken cancellationToken)
    {
        query.Caller.EnsurePartnerUser();
        var lead = await db.Leads.AsNoTracking().GetVisibleAsync(query.Caller, query.LeadId, cancellationToken);
        var entries = await db.Timeline.AsNoTracking()
            // Where the customer's request went after this partner is the sender's to know, not this partner's.
            .Where(e => e.PartnerId == lead.PartnerId && e.LeadId == lead.Id
                && e.Kind != LeadChangeKind.Rerouted && e.Kind != LeadChangeKind.RoutingEnded)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return new TimelineResponse([.. entries.Select(e => new TimelineEntryResponse(
            e.Id, e.Kind, e.At, new Actor(e.ActorKind, e.ActorId, e.ActorName), e.FromStatus, e.ToStatus, e.Changes))]);
    }
}
