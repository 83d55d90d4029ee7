namespace LeadsApi.Events;

/// <summary>Who an event is for: the partner that holds the lead, or the sender that sent it.</summary>
public enum EventRecipient
{
    Partner,
    Sender,
}

/// <summary>
/// One event in the outbox, for one recipient, written in the same transaction as the change it describes.
/// The change feed reads these rows; the dispatcher fans them out into webhook deliveries.
/// </summary>
public sealed class StoredEvent
{
    public required Guid PartnerId { get; init; }

    /// <summary>The event's id (UUIDv7), sent as <c>webhook-id</c>: receivers deduplicate on it.</summary>
    public required Guid Id { get; init; }

    public required EventRecipient Recipient { get; init; }

    /// <summary>The partner's id or the sender's id, by <see cref="Recipient"/>.</summary>
    public required Guid RecipientId { get; init; }

    public required string Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>The lead it is about; null for an event about the partner itself (partner.profileUpdated).</summary>
    public required Guid? LeadId { get; init; }

    /// <summary>The lead's version after the change; null when <see cref="LeadId"/> is.</summary>
    public required int? LeadVersion { get; init; }

    /// <summary>The event as it is sent: the JSON of an <see cref="EventMessage"/>.</summary>
    public required string Payload { get; init; }

    /// <summary>The writing transaction's id, set by the database: the change feed's visibility horizon reads it.</summary>
    public long TransactionId { get; init; }

    /// <summary>Set by the database, increasing: orders the events of one transaction.</summary>
    public long Sequence { get; init; }

    /// <summary>When the dispatcher made this event's webhook deliveries; null until it has.</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}

public static class EventRecipients
{
    /// <summary>Whose events a caller reads and whose webhooks it manages: its partner's, or, for a sender's key, its own.</summary>
    public static (EventRecipient Kind, Guid Id) Of(Identity.Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.PartnerId is { } partnerId ? (EventRecipient.Partner, partnerId)
            : caller.SenderId is { } senderId ? (EventRecipient.Sender, senderId)
            : throw new InvalidOperationException("Only a partner's users and senders have events.");
    }
}
