using LeadsApi.Domain.Leads;
using LeadsApi.Events;
using LeadsApi.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LeadsApi.Persistence;

/// <summary>
/// Writes the transitions many tracked leads recorded in one round trip of three set-based statements: the leads'
/// new status, closing time, update time and version (checked against the version they were read with), their
/// timeline entries and their events. <see cref="LeadsDbContext.SaveChangesAsync(bool, CancellationToken)"/> writes
/// a handful of leads a statement per row; this writes thousands, for the expiry sweep, with the same outbox rule:
/// the change, its timeline entry and its events commit together or not at all.
/// </summary>
/// <remarks>
/// It writes only what a transition without field changes touches (<see cref="Lead.Expire"/>). Before it writes, it
/// asks EF Core which properties each lead changed, and refuses a lead that changed anything else: a domain change
/// that touches another column fails loudly here instead of being lost.
/// </remarks>
public static class TransitionBatch
{
    private static readonly HashSet<string> Written =
        [nameof(Lead.Status), nameof(Lead.ClosedAt), nameof(Lead.UpdatedAt), nameof(Lead.Version)];

    private const string UpdateLeads = """
        UPDATE leads.leads AS l
        SET status = u.status, closed_at = u.closed_at, updated_at = u.updated_at, version = u.version
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::integer[], $7::integer[])
            AS u(partner_id, id, status, closed_at, updated_at, version, read_version)
        WHERE l.partner_id = u.partner_id AND l.id = u.id AND l.version = u.read_version
        """;

    private const string InsertTimeline = """
        INSERT INTO leads.timeline_entries (partner_id, lead_id, id, kind, at, actor_kind, actor_id, actor_name, from_status, to_status, changes)
        SELECT partner_id, lead_id, id, kind, at, actor_kind, actor_id, actor_name, from_status, to_status, '[]'::jsonb
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
            AS t(partner_id, lead_id, id, kind, at, actor_kind, actor_id, actor_name, from_status, to_status)
        """;

    private const string InsertEvents = """
        INSERT INTO leads.events (partner_id, id, recipient, recipient_id, type, occurred_at, lead_id, lead_version, payload)
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[], $7::uuid[], $8::integer[], $9::json[])
        """;

    /// <summary>
    /// Writes the pending changes of <paramref name="leads"/> (tracked by <paramref name="db"/>, inside its open
    /// transaction), builds their events with <paramref name="outbox"/>, and clears the changes.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">A lead's version moved since it was read; nothing is written.</exception>
    public static async Task WriteAsync(LeadsDbContext db, OutboxWriter outbox, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(leads);
        if (leads.Count == 0)
        {
            return;
        }

        var timeline = new List<TimelineEntry>(leads.Count);
        var events = new List<StoredEvent>(leads.Count * 2);
        foreach (var lead in leads)
        {
            EnsureWritable(db, lead);
            timeline.AddRange(lead.PendingChanges.Select(change => TimelineEntry.For(lead, change)));
            events.AddRange(outbox.ForPendingChanges(lead));
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(UpdateLeads,
            Array(leads, l => l.PartnerId), Array(leads, l => l.Id),
            Array(leads, l => Names.Of(l.Status)),
            Array(leads, l => l.ClosedAt), Array(leads, l => l.UpdatedAt),
            Array(leads, l => l.Version), Array(leads, l => l.Version - l.PendingChanges.Count)));
        batch.BatchCommands.Add(Command(InsertTimeline,
            Array(timeline, t => t.PartnerId), Array(timeline, t => t.LeadId), Array(timeline, t => t.Id),
            Array(timeline, t => Names.Of(t.Kind)), Array(timeline, t => t.At),
            Array(timeline, t => Names.Of(t.ActorKind)), Array(timeline, t => t.ActorId),
            Array(timeline, t => t.ActorName),
            Array(timeline, t => t.FromStatus is { } from ? Names.Of(from) : null),
            Array(timeline, t => Names.Of(t.ToStatus))));
        batch.BatchCommands.Add(Command(InsertEvents,
            Array(events, e => e.PartnerId), Array(events, e => e.Id),
            Array(events, e => Names.Of(e.Recipient)), Array(events, e => e.RecipientId),
            Array(events, e => e.Type), Array(events, e => e.OccurredAt), Array(events, e => e.LeadId!.Value),
            Array(events, e => e.LeadVersion!.Value), Json(events, e => e.Payload)));
        batch.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A transition batch is written inside the caller's transaction.");

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var updated = batch.BatchCommands[0].RecordsAffected;
        if (updated != leads.Count)
        {
            throw new DbUpdateConcurrencyException($"{leads.Count - updated} of {leads.Count} leads changed since they were read.");
        }

        foreach (var lead in leads)
        {
            lead.ClearPendingChanges();
        }

        db.ChangeTracker.AcceptAllChanges();
    }

    private static void EnsureWritable(LeadsDbContext db, Lead lead)
    {
        // Entry detects the lead's changes itself.
        var entry = db.Entry(lead);
        var other = entry.Properties.FirstOrDefault(p => p.IsModified && !Written.Contains(p.Metadata.Name))?.Metadata.Name
            ?? entry.ComplexProperties.FirstOrDefault(p => p.IsModified)?.Metadata.Name
            ?? entry.ComplexCollections.FirstOrDefault(p => p.IsModified)?.Metadata.Name
            ?? (lead.PendingChanges.Any(change => change.Changes.Count > 0) ? "fields" : null);
        if (other is not null)
        {
            throw new InvalidOperationException(
                $"A transition batch writes {string.Join(", ", Written)} and changes without fields; lead {lead.Id} changed " +
                $"{other}: save it with SaveChangesAsync.");
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T[]> Array<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> value)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return new NpgsqlParameter<T[]> { TypedValue = values };
    }

    private static NpgsqlParameter<string[]> Json<TRow>(IReadOnlyList<TRow> rows, Func<TRow, string> value)
    {
        var parameter = Array(rows, value);
        parameter.NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json;
        return parameter;
    }
}
