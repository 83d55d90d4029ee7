using LeadsApi.Domain.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>
/// Writes down leads that expired. Readers already see them as expired; the sweep makes it durable
/// and appends the timeline entry and the events. Each batch claims its rows with FOR UPDATE SKIP LOCKED, so any
/// number of instances can sweep at once without writing a lead twice, and writes the whole batch in one round trip
/// of set-based statements (<see cref="TransitionBatch"/>).
/// </summary>
public sealed class ExpirySweep(
    BackgroundDatabase database, Events.OutboxWriter outbox, TimeProvider time, IOptions<LeadsOptions> options,
    Hosting.LeadsMetrics metrics, ILogger<ExpirySweep> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.ExpirySweepInterval;

    protected override string WhatItDid => "leads expired";

    /// <summary>Sweeps until no due lead is left; returns how many it expired.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int expired;
        do
        {
            expired = await ExpireBatchAsync(cancellationToken);
            total += expired;
        }
        while (expired == options.Value.ExpirySweepBatchSize);

        return total;
    }

    private async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        // The background pool: request load cannot take the connections the sweep needs.
        await using var db = database.CreateContext();
        var now = Time.GetUtcNowMicroseconds();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claim the due rows first (rows another instance holds are skipped), then load them as leads by their primary key.
        var claimed = await ClaimAsync(db, now, options.Value.ExpirySweepBatchSize, cancellationToken);
        var partners = claimed.Select(c => c.PartnerId).Distinct().ToList();
        var ids = claimed.Select(c => c.Id).ToList();
        var due = await db.Leads.Where(l => partners.Contains(l.PartnerId) && ids.Contains(l.Id)).ToListAsync(cancellationToken);

        var expired = due.Where(lead => lead.Expire(now)).ToList();
        await TransitionBatch.WriteAsync(db, outbox, expired, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Expired(expired.Count);
        return expired.Count;
    }

    /// <summary>
    /// EF Core 10 cannot emit FOR UPDATE. FromSql with the rule in a LINQ Where puts the lock in a subquery below the ORDER BY
    /// and LIMIT, so it locks every due lead, not one batch. So EF composes the query from the domain's rule, as a command
    /// with its parameters, and the locking clause is appended: PostgreSQL locks only the batch the LIMIT keeps. It returns
    /// the primary key, partner_id first, so the load that follows is an index lookup, not a scan for the ids.
    /// </summary>
    private static async Task<List<(Guid PartnerId, Guid Id)>> ClaimAsync(LeadsDbContext db, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var due = db.Leads.Where(LeadRules.IsDueForExpiry(now)).OrderBy(l => l.RespondBy).Select(l => new { l.PartnerId, l.Id }).Take(batchSize);
        await using var command = due.CreateDbCommand();
        command.CommandText += "\nFOR UPDATE SKIP LOCKED";
        var claimed = new List<(Guid, Guid)>(batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return claimed;
    }
}
