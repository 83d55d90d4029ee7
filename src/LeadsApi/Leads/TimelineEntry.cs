using LeadsApi.Domain.Leads;

namespace LeadsApi.Leads;

/// <summary>One stored entry of a lead's timeline, written in the same transaction as the change.</summary>
public sealed class TimelineEntry
{
    public required Guid PartnerId { get; init; }
    public required Guid LeadId { get; init; }
    public required Guid Id { get; init; }

    /// <summary>Written by the database, increasing: orders entries that share a timestamp.</summary>
    public long Sequence { get; init; }
    public required LeadChangeKind Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public required ActorKind ActorKind { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    public LeadStatus? FromStatus { get; init; }
    public required LeadStatus ToStatus { get; init; }
    public required List<FieldChange> Changes { get; init; }

    public static TimelineEntry For(Lead lead, LeadChange change) => new()
    {
        PartnerId = lead.PartnerId,
        LeadId = lead.Id,
        Id = change.Id,
        Kind = change.Kind,
        At = change.At,
        ActorKind = change.Actor.Kind,
        ActorId = change.Actor.Id,
        ActorName = change.Actor.Name,
        FromStatus = change.FromStatus,
        ToStatus = change.ToStatus,
        Changes = [.. change.Changes],
    };
}
