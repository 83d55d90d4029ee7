namespace LeadsApi.Idempotency;

/// <summary>The <c>Idempotency</c> configuration section: how long answers are kept for a retry, and how long a retry waits.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long the first answer to a key is kept and replayed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a retry waits for the first request with its key to finish before it answers 409 <c>idempotency-key-in-use</c>.</summary>
    public TimeSpan InFlightWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a request holds its key while it runs. A request whose instance died holds it no longer than this; a retry
    /// after that runs the request again.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether this instance runs the worker that deletes answers past their retention.</summary>
    public bool PurgeEnabled { get; set; } = true;

    /// <summary>How often the worker deletes answers past their retention.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    public bool IsValid() =>
        Retention > TimeSpan.Zero && InFlightWait >= TimeSpan.Zero && InFlightWait < Lease && Lease > TimeSpan.Zero
        && PurgeInterval > TimeSpan.Zero && PurgeInterval <= TimeSpan.FromDays(1);
}
