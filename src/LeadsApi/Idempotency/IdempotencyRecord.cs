namespace LeadsApi.Idempotency;

/// <summary>
/// One caller's use of one <c>Idempotency-Key</c>: what the request was (a hash of its method, path and body) and, once it
/// finished, the answer to replay. The caller is its account (a partner or a sender) and its user, so no other caller can
/// see or collide with its keys.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The caller's partner, or for a sender's key the sender: leads the key, as partner_id leads every other.</summary>
    public required Guid OwnerId { get; init; }

    public required Guid UserId { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, the path and the body.</summary>
    public required byte[] RequestHash { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Until when the running request holds the key; null once it answered.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>The answer's status; null while the request runs.</summary>
    public int? Status { get; set; }

    /// <summary>The answer's headers that a replay repeats (Content-Type, Location, ETag), as JSON.</summary>
    public string? ResponseHeaders { get; set; }

    public byte[]? ResponseBody { get; set; }
}
