using LeadsApi.Events;

namespace LeadsApi.Webhooks;

/// <summary>
/// Where a partner or a sender wants its events pushed: a URL, which types, and the secret deliveries are signed
/// with. The owner is an event recipient: a partner (managed by its partnerAdmin) or a sender.
/// </summary>
public sealed class WebhookSubscription
{
    public required Guid Id { get; init; }
    public required EventRecipient OwnerKind { get; init; }
    public required Guid OwnerId { get; init; }
    public required string Url { get; set; }

    /// <summary>The types it wants; empty means every type.</summary>
    public required List<string> EventTypes { get; set; }

    public string? Description { get; set; }
    public required bool Enabled { get; set; }

    /// <summary>Why the service disabled it (410 Gone, or failing for too long); null when the owner did or it is enabled.</summary>
    public string? DisabledReason { get; set; }

    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation, still signed with until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The first failure since the last success: the subscription is disabled when it is too long ago.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }
    public DateTimeOffset? LastFailureAt { get; set; }
    public int? LastFailureStatusCode { get; set; }
    public string? LastFailureError { get; set; }

    public bool Wants(string type) => EventTypes.Count == 0 || EventTypes.Contains(type);

    /// <summary>The secrets a delivery at <paramref name="now"/> is signed with: the current one, and during the overlap the previous one.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];
}
