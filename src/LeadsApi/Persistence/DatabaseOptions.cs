namespace LeadsApi.Persistence;

/// <summary>
/// The <c>Database</c> configuration section: how many PostgreSQL connections one instance may hold and
/// how long a request waits for one. See docs/operations.md for sizing them against max_connections.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Connections this instance's requests share. Npgsql's default (100) equals PostgreSQL's default max_connections.</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>Connections reserved for background workers (the expiry sweep), in a pool of their own so requests cannot starve them.</summary>
    public int BackgroundPoolSize { get; set; } = 3;

    /// <summary>Seconds a request waits for a connection (from the pool, or a new one) before it answers 503.</summary>
    public int ConnectionTimeoutSeconds { get; set; } = 3;

    /// <summary>Seconds one SQL command may run (a lock wait included) before it is cancelled and the request answers 503.</summary>
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>The Retry-After, in seconds, of a 503 answered because the database could not serve the request.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// How many distinct statements each connection prepares on the server once it has seen them a few times (Npgsql's
    /// automatic preparation): parse and plan once, not per request. Behind PgBouncer in transaction mode, set 0 unless
    /// PgBouncer is 1.21 or newer with max_prepared_statements set.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 32;

    /// <summary>Whether the service applies pending migrations at start (false: run the migration bundle instead).</summary>
    public bool Migrate { get; set; } = true;

    internal bool IsValid() =>
        MaxPoolSize is >= 1 and <= 1000
        && BackgroundPoolSize is >= 1 and <= 100
        && ConnectionTimeoutSeconds is >= 1 and <= 60
        && CommandTimeoutSeconds is >= 1 and <= 600
        && RetryAfterSeconds is >= 1 and <= 600
        && MaxAutoPrepare is >= 0 and <= 1000;
}
