using System.Globalization;

namespace LeadsApi.RateLimits;

/// <summary>
/// The <c>RateLimits</c> configuration section: a token bucket per credential (an API key, or a signed-in user) for its
/// reads and another for its writes, and one per client address for requests without valid credentials.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only where nothing may be throttled, such as a benchmark; then no answer carries the RateLimit headers either.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>GET and HEAD of one credential: 200 at once, then 100 a second.</summary>
    public TokenBudget Reads { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromMilliseconds(100) };

    /// <summary>Every other method of one credential: 100 at once, then 20 a second.</summary>
    public TokenBudget Writes { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 2, ReplenishmentPeriod = TimeSpan.FromMilliseconds(100) };

    /// <summary>
    /// Requests without valid credentials, per client address (each is a 401, or a 404 for a path that does not exist):
    /// 40 at once, then 10 a second. It bounds key guessing, whose unknown keys each cost a database lookup.
    /// </summary>
    public TokenBudget Anonymous { get; set; } = new() { TokenLimit = 40, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMilliseconds(100) };

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem() =>
        Reads.Problem($"{Section}:{nameof(Reads)}") ?? Writes.Problem($"{Section}:{nameof(Writes)}") ?? Anonymous.Problem($"{Section}:{nameof(Anonymous)}");
}

/// <summary>
/// A token bucket: <see cref="TokenLimit"/> requests at once, and <see cref="TokensPerPeriod"/> more every
/// <see cref="ReplenishmentPeriod"/>, never more than the limit. A request takes one token; without one it is refused at once (no queue).
/// </summary>
public sealed class TokenBudget
{
    /// <summary>The shortest period that means what it says: the limiter refills its buckets on a timer of this interval.</summary>
    public static readonly TimeSpan ShortestPeriod = TimeSpan.FromMilliseconds(100);

    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; }

    /// <summary>Requests a second, once the bucket is empty.</summary>
    public double PerSecond => TokensPerPeriod / ReplenishmentPeriod.TotalSeconds;

    /// <summary>The seconds an empty bucket takes to fill, rounded up: the window of the <c>RateLimit-Policy</c> header.</summary>
    public int WindowSeconds => Math.Max(1, (int)Math.Ceiling(TokenLimit / PerSecond - 1e-9));

    /// <summary>The seconds, rounded up, within which the next tokens arrive: the effective window of the <c>RateLimit</c> header.</summary>
    public int RefillSeconds => Math.Max(1, (int)Math.Ceiling(ReplenishmentPeriod.TotalSeconds - 1e-9));

    public string? Problem(string name) =>
        TokenLimit is < 1 or > 1_000_000 ? $"{name}:TokenLimit must be between 1 and 1000000."
        : TokensPerPeriod < 1 || TokensPerPeriod > TokenLimit ? $"{name}:TokensPerPeriod must be between 1 and TokenLimit ({TokenLimit.ToString(CultureInfo.InvariantCulture)})."
        : ReplenishmentPeriod < ShortestPeriod || ReplenishmentPeriod > TimeSpan.FromHours(1) ? $"{name}:ReplenishmentPeriod must be between 00:00:00.1 and 01:00:00."
        : null;
}
