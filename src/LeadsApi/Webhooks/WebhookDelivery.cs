namespace LeadsApi.Webhooks;

/// <summary>Where a delivery is: waiting for its next attempt, delivered (a 2xx), or failed for good.</summary>
public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One message to one subscription, and every attempt to deliver it. A redelivery or a replay tries the same
/// message again, with the same webhook-id.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>The most of an error message kept with an attempt.</summary>
    public const int MaxErrorLength = 500;

    /// <summary>The most attempts kept with a delivery: the oldest go first.</summary>
    public const int MaxAttemptsKept = 30;

    public required Guid SubscriptionId { get; init; }
    public required Guid Id { get; init; }

    /// <summary>The webhook-id: the event's id, or the test message's.</summary>
    public required Guid MessageId { get; init; }

    public required string EventType { get; init; }

    /// <summary>The outbox event delivered, when it is one (a test message is not).</summary>
    public Guid? EventPartnerId { get; init; }

    public Guid? EventId { get; init; }

    /// <summary>The body of a message that is not an outbox event (webhook.test); null for events.</summary>
    public string? Payload { get; init; }

    public required DeliveryState State { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it is due; null once delivered or failed for good.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Until when a dispatcher holds it: a dispatcher that dies mid-attempt lets it go when this passes.</summary>
    public DateTimeOffset? LeasedUntil { get; set; }

    /// <summary>Failed attempts since it was last (re)queued: they index the retry schedule.</summary>
    public int FailedAttempts { get; set; }

    public required List<DeliveryAttempt> Attempts { get; set; }
}

/// <summary>One attempt to deliver.</summary>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">What the receiver answered; null when it never answered (timeout, refused, blocked address).</param>
/// <param name="LatencyMilliseconds">How long it took.</param>
/// <param name="Error">What went wrong; null for a 2xx.</param>
public sealed record DeliveryAttempt(DateTimeOffset At, int? StatusCode, long LatencyMilliseconds, string? Error);
