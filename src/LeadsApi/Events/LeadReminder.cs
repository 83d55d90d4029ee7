namespace LeadsApi.Events;

/// <summary>A reminder sent: one row per lead, type and due time, so each is sent once by whichever instance got there first.</summary>
public sealed class LeadReminder
{
    public required Guid PartnerId { get; init; }
    public required Guid LeadId { get; init; }
    public required string Type { get; init; }

    /// <summary>When the reminder was due: the deadline less its offset.</summary>
    public required DateTimeOffset DueAt { get; init; }

    public required DateTimeOffset SentAt { get; init; }
}
