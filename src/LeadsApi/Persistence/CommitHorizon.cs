using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Persistence;

/// <summary>
/// The commit horizon: the oldest transaction id still open in the cluster (<c>pg_snapshot_xmin</c>). Every transaction
/// below it has committed or rolled back, and every later one gets a higher id, so rows stamped with the id of the
/// transaction that wrote them (events' <c>transaction_id</c>, leads' <c>change_position</c>) and read in that order
/// below the horizon never gain a row behind a reader's cursor. The event feed and the leads' delta sync read this way.
/// </summary>
public static class CommitHorizon
{
    /// <summary>
    /// Waits, at most <paramref name="wait"/>, until every transaction that had begun writing when the caller asked has
    /// ended, so what was acknowledged before the request is below the horizon (read your writes), then returns the
    /// horizon. A transaction open longer is not waited for: its rows come on a later read, never skipped.
    /// </summary>
    public static async Task<long> CatchUpAsync(this LeadsDbContext db, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The next transaction id when the request came in: every id below it has ended once the oldest open one reaches it.
        var cameIn = await db.Database.SqlQuery<long>($"SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS \"Value\"")
            .SingleAsync(cancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var horizon = await ReadAsync(db, cancellationToken);
        while (horizon < cameIn && waited.Elapsed < wait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            horizon = await ReadAsync(db, cancellationToken);
        }

        return horizon;
    }

    private static Task<long> ReadAsync(LeadsDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<long>($"SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(cancellationToken);
}
