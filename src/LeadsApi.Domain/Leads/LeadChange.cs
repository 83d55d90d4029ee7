namespace LeadsApi.Domain.Leads;

/// <summary>What happened to a lead, as its timeline records it.</summary>
public enum LeadChangeKind
{
    Received,
    Accepted,
    Declined,
    DealEdited,
    TeamMemberAdded,
    TeamMemberRemoved,
    Won,
    Lost,
    Expired,
    /// <summary>The service handed the request on to the next partner (routing with re-routing).</summary>
    Rerouted,
    /// <summary>The request was to be handed on, but no partner is left that could take it.</summary>
    RoutingEnded,
}

/// <summary>One field's value before and after a change, as text.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    internal static FieldChange? Of(string field, string? before, string? after) =>
        before == after ? null : new FieldChange(field, before, after);
}

/// <summary>One entry of a lead's timeline: who did what when, and what it changed.</summary>
public sealed record LeadChange(
    Guid Id,
    LeadChangeKind Kind,
    Actor Actor,
    DateTimeOffset At,
    LeadStatus? FromStatus,
    LeadStatus ToStatus,
    IReadOnlyList<FieldChange> Changes);
