using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Events;

/// <summary>
/// Emits the scheduled reminders (lead.expiring before respondBy, lead.hotExpiring before the hot window closes) and
/// deletes events older than the retention. Each batch claims its leads with FOR UPDATE SKIP LOCKED and records the
/// reminder it sent beside its event, so any number of instances run it and each reminder goes out once. A scheduler
/// that was down sends only the latest reminder that fell due, not every one it missed.
/// </summary>
public sealed class ReminderScheduler(
    BackgroundDatabase database, OutboxWriter outbox, TimeProvider time,
    IOptions<EventsOptions> options, IOptions<Leads.LeadsOptions> leads, Hosting.LeadsMetrics metrics, ILogger<ReminderScheduler> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    private const int PruneBatchSize = 5000;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override string WhatItDid => "reminders sent";

    /// <summary>Sends every reminder due and prunes old events; returns how many reminders it sent.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sent = await SendAllAsync(EventTypes.Expiring, settings.ExpiringOffsets, cancellationToken)
            + await SendAllAsync(EventTypes.HotExpiring, settings.HotExpiringOffsets, cancellationToken);
        await PruneAsync(cancellationToken);
        return sent;
    }

    private async Task<int> SendAllAsync(string type, IReadOnlyList<TimeSpan> offsets, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return 0;
        }

        var total = 0;
        int sent;
        do
        {
            sent = await SendBatchAsync(type, offsets, cancellationToken);
            total += sent;
        }
        while (sent == options.Value.SchedulerBatchSize);

        return total;
    }

    private async Task<int> SendBatchAsync(string type, IReadOnlyList<TimeSpan> offsets, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var now = Time.GetUtcNowMicroseconds();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await ClaimAsync(db, type, offsets, now, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var ids = due.Select(d => d.LeadId).ToList();
        var claimed = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        foreach (var reminder in due)
        {
            var lead = claimed[reminder.LeadId];
            var deadline = type == EventTypes.HotExpiring ? "hotUntil" : "respondBy";
            db.Events.Add(outbox.Reminder(lead, type,
                new EventReminder(deadline, reminder.Deadline, IsoDuration(reminder.Before)), now));
            db.Reminders.Add(new LeadReminder { PartnerId = lead.PartnerId, LeadId = lead.Id, Type = type, DueAt = reminder.DueAt, SentAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.RemindersSent(due.Count);
        return due.Count;
    }

    /// <summary>
    /// The leads with a reminder of <paramref name="type"/> due and not sent: the latest point (deadline less an offset) that
    /// has passed, after the lead arrived, with no reminder of the type sent for it or a later point.
    /// </summary>
    private Task<List<DueReminder>> ClaimAsync(
        LeadsDbContext db, string type, IReadOnlyList<TimeSpan> offsets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hot = type == EventTypes.HotExpiring;
        var hotWindow = leads.Value.HotWindow;
        var offsetArray = offsets.ToArray();
        var batch = options.Value.SchedulerBatchSize;
        return db.Database.SqlQuery<DueReminder>($"""
            SELECT l.partner_id, l.id AS lead_id, x.deadline, d.due_at, d.before
            FROM leads.leads l
            CROSS JOIN LATERAL (SELECT CASE WHEN {hot} THEN l.received_at + {hotWindow} ELSE l.respond_by END AS deadline) x
            CROSS JOIN LATERAL (
                SELECT x.deadline - o AS due_at, o AS before FROM unnest({offsetArray}::interval[]) o
                WHERE x.deadline - o <= {now} AND x.deadline - o > l.received_at
                ORDER BY o LIMIT 1) d
            WHERE ((l.status = 'received' AND l.respond_by > {now}) OR ({hot} AND l.status = 'accepted'))
              AND (NOT {hot} OR l.contact_requested)
              AND x.deadline > {now}
              AND NOT EXISTS (
                SELECT 1 FROM leads.lead_reminders r
                WHERE r.partner_id = l.partner_id AND r.lead_id = l.id AND r.type = {type} AND r.due_at >= d.due_at)
            ORDER BY d.due_at
            LIMIT {batch}
            FOR UPDATE OF l SKIP LOCKED
            """).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes events (and their deliveries) older than the retention, a batch at a Time.</summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNowMicroseconds() - options.Value.Retention;
        await using var db = database.CreateContext();
        int deleted;
        do
        {
            deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM leads.events WHERE (partner_id, id) IN (
                    SELECT partner_id, id FROM leads.events WHERE occurred_at < {cutoff} LIMIT {PruneBatchSize} FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
        }
        while (deleted == PruneBatchSize);

        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM leads.webhook_deliveries WHERE event_id IS NULL AND created_at < {cutoff}", cancellationToken);
    }

    /// <summary>An offset as an ISO 8601 duration in the unit it was configured in: PT72H rather than P3D.</summary>
    private static string IsoDuration(TimeSpan offset) =>
        offset.Ticks % TimeSpan.TicksPerHour == 0 ? FormattableString.Invariant($"PT{(long)offset.TotalHours}H")
        : offset.Ticks % TimeSpan.TicksPerMinute == 0 ? FormattableString.Invariant($"PT{(long)offset.TotalMinutes}M")
        : FormattableString.Invariant($"PT{offset.TotalSeconds:0.######}S");

    private sealed record DueReminder(Guid PartnerId, Guid LeadId, DateTimeOffset Deadline, DateTimeOffset DueAt, TimeSpan Before);
}
