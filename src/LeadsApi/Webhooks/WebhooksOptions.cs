using System.Globalization;

namespace LeadsApi.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section: delivery, retries, and what a webhook URL may be.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Allows http URLs and loopback addresses, for local development and tests only. Off, a URL must be
    /// https and resolve to public addresses only (the SSRF guard).
    /// </summary>
    public bool AllowInsecureLocalUrls { get; set; }

    /// <summary>How long a receiver has to answer one delivery before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The waits before each retry after a failed attempt, comma-separated TimeSpans: a delivery is tried once
    /// plus once per entry, each wait varied by <see cref="RetryJitter"/>.
    /// </summary>
    public string RetrySchedule { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>How much each retry wait varies, as a fraction of it (0.1 = up to 10% either way).</summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>A subscription whose deliveries have failed without a success for this long is disabled.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>After a secret is rotated, how long deliveries are signed with the old secret too.</summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether this instance delivers webhooks; any number of instances may.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due deliveries when it found none.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many deliveries one dispatcher transaction claims at most.</summary>
    public int DispatchBatchSize { get; set; } = 50;

    /// <summary>How many deliveries to one subscription are in flight at once, across all instances' batches.</summary>
    public int MaxConcurrentPerSubscription { get; set; } = 4;

    public bool IsValid()
    {
        try
        {
            return RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(5)
                && RetryWaits.All(w => w > TimeSpan.Zero) && RetryJitter is >= 0 and <= 0.5
                && DisableAfterFailingFor > TimeSpan.Zero && SecretRotationOverlap > TimeSpan.Zero
                && DispatchInterval >= TimeSpan.FromMilliseconds(1) && DispatchInterval <= TimeSpan.FromHours(1)
                && DispatchBatchSize > 0 && MaxConcurrentPerSubscription > 0;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>The retry waits, parsed from <see cref="RetrySchedule"/>.</summary>
    public IReadOnlyList<TimeSpan> RetryWaits =>
        [.. RetrySchedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => TimeSpan.Parse(w, CultureInfo.InvariantCulture))];
}
