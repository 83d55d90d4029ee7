using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Idempotency;

/// <summary>Deletes kept answers past their retention, in batches; any number of instances may run it.</summary>
public sealed class IdempotencyPurge(BackgroundDatabase database, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencyPurge> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    private const int BatchSize = 5000;

    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override string WhatItDid => "idempotency keys purged";

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNowMicroseconds();
        await using var db = database.CreateContext();
        var total = 0;
        int deleted;
        do
        {
            deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM leads.idempotency_records WHERE (owner_id, user_id, key) IN (
                    SELECT owner_id, user_id, key FROM leads.idempotency_records WHERE expires_at <= {now} LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }
}
