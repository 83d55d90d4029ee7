using System.Text.Json.Serialization;

namespace LeadsApi.Webhooks;

/// <summary>A webhook subscription, with how its deliveries are going.</summary>
/// <param name="Id">The webhook's id.</param>
/// <param name="Url">Where the events go.</param>
/// <param name="EventTypes">The event types it gets; empty for every type.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Enabled">Whether events are delivered to it.</param>
/// <param name="DisabledReason">Why the service disabled it (the receiver answered 410 Gone, or every delivery failed for 5 days); null otherwise.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
/// <param name="PendingDeliveries">Deliveries waiting for their first attempt or a retry.</param>
/// <param name="LastSuccessAt">When a delivery last succeeded.</param>
/// <param name="LastFailure">The last failed attempt.</param>
/// <param name="PreviousSecretExpiresAt">After a rotation, until when deliveries are signed with the previous secret as well.</param>
/// <param name="Secret">The signing secret (whsec_...): only in the answer that created or rotated it; store it, it is never shown again.</param>
public sealed record WebhookResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int PendingDeliveries,
    DateTimeOffset? LastSuccessAt,
    WebhookFailure? LastFailure,
    DateTimeOffset? PreviousSecretExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static WebhookResponse From(WebhookSubscription s, int pending, bool withSecret = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new WebhookResponse(
            s.Id, s.Url, s.EventTypes, s.Description, s.Enabled, s.DisabledReason, s.CreatedAt, s.UpdatedAt, pending, s.LastSuccessAt,
            s.LastFailureAt is { } at ? new WebhookFailure(at, s.LastFailureStatusCode, s.LastFailureError) : null,
            s.PreviousSecret is null ? null : s.PreviousSecretExpiresAt,
            withSecret ? s.Secret : null);
    }
}

/// <summary>A failed attempt.</summary>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">What the receiver answered; null when it did not answer (timeout, connection refused, blocked address).</param>
/// <param name="Error">What went wrong.</param>
public sealed record WebhookFailure(DateTimeOffset At, int? StatusCode, string? Error);

/// <summary>The webhooks of the caller.</summary>
/// <param name="Items">Every webhook of the partner (or sender), oldest first.</param>
public sealed record WebhookList(IReadOnlyList<WebhookResponse> Items);

/// <summary>One message to a webhook and its attempts.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="MessageId">The webhook-id header: the event's id. A redelivery or a replay sends the same one.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="State">pending (waiting for an attempt), delivered (a 2xx), or failed (every retry failed).</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="NextAttemptAt">When it is tried next; null once delivered or failed.</param>
/// <param name="Attempts">Each attempt, oldest first (the last 30).</param>
public sealed record DeliveryResponse(
    Guid Id, Guid MessageId, string EventType, DeliveryState State, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt,
    IReadOnlyList<DeliveryAttempt> Attempts)
{
    public static DeliveryResponse From(WebhookDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DeliveryResponse(d.Id, d.MessageId, d.EventType, d.State, d.CreatedAt, d.NextAttemptAt, d.Attempts);
    }
}

/// <summary>A page of a webhook's deliveries, newest first.</summary>
/// <param name="Items">The deliveries.</param>
/// <param name="NextLink">The next page; absent on the last.</param>
public sealed record DeliveryPage(
    IReadOnlyList<DeliveryResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>What a replay queued.</summary>
/// <param name="Queued">How many events were queued for delivery again.</param>
public sealed record ReplayResult(int Queued);
