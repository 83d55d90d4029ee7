using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>A change of a lead's status, as its sender sees it.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="Kind">What happened: received, accepted, declined, won, lost or expired; rerouted or routingEnded for a routed lead handed on (or not) after it.</param>
/// <param name="At">When it happened.</param>
/// <param name="ActorKind">Who did it: sender (you), user (one of the partner's people, not named) or system (expiry).</param>
/// <param name="FromStatus">The status before; null for the first entry.</param>
/// <param name="ToStatus">The status after.</param>
/// <param name="Changes">The changed fields the sender also sees on the lead: a decline's reason and notes, the day a won deal closed.</param>
[ClosedSchema]
public sealed record SenderTimelineEntryResponse(
    Guid Id,
    LeadChangeKind Kind,
    DateTimeOffset At,
    ActorKind ActorKind,
    LeadStatus? FromStatus,
    LeadStatus ToStatus,
    IReadOnlyList<FieldChange> Changes);

/// <summary>A lead's status changes, oldest first, as its sender sees them; the partner's own work on the deal and its team is not in it.</summary>
[ClosedSchema]
public sealed record SenderTimelineResponse(IReadOnlyList<SenderTimelineEntryResponse> Items);

/// <summary>A sender reads the timeline of a lead it sent.</summary>
public sealed record GetSentLeadTimeline(Caller Caller, Guid LeadId) : IQuery<SenderTimelineResponse>;

public sealed class GetSentLeadTimelineHandler(LeadsDbContext db) : IQueryHandler<GetSentLeadTimeline, SenderTimelineResponse>
{
    /// <summary>
    /// The changed fields a sender sees, per kind of entry: what its lead shows it too. Anything not listed
    /// (a new kind, a new field) stays the partner's until it is added here.
    /// </summary>
    private static readonly Dictionary<LeadChangeKind, string[]> VisibleFields = new()
    {
        [LeadChangeKind.Declined] = ["reason", "notes"],
        [LeadChangeKind.Won] = ["closedOn"],
        [LeadChangeKind.Rerouted] = ["nextLeadId"],
        [LeadChangeKind.RoutingEnded] = ["routingEnd"],
    };

    public async ValueTask<SenderTimelineResponse> Handle(GetSentLeadTimeline query, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().GetVisibleAsync(query.Caller, query.LeadId, cancellationToken);
        // Only the entries that moved the status, and where the request went next: edits of the deal and of the team keep
        // the status where it was.
        var entries = await db.Timeline.AsNoTracking()
            .Where(e => e.PartnerId == lead.PartnerId && e.LeadId == lead.Id
                && (e.FromStatus == null || e.FromStatus != e.ToStatus || e.Kind == LeadChangeKind.Rerouted || e.Kind == LeadChangeKind.RoutingEnded))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return new SenderTimelineResponse([.. entries.Select(e => new SenderTimelineEntryResponse(
            e.Id,
            e.Kind,
            e.At,
            e.ActorKind,
            e.FromStatus,
            e.ToStatus,
            [.. e.Changes.Where(c => VisibleFields.TryGetValue(e.Kind, out var fields) && fields.Contains(c.Field))]))]);
    }
}
