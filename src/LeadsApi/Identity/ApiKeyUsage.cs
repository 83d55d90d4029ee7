using System.Collections.Concurrent;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Identity;

/// <summary>
/// Keeps <see cref="ApiKey.LastUsedAt"/> to the minute without a write per request. Each instance remembers when it last
/// wrote a key's time and writes again only a <see cref="Granularity"/> later; the UPDATE itself changes the row only when
/// the stored time is a minute old, so any number of instances write a busy key's row at most once a minute, and a
/// statement that finds it fresh writes nothing. The key-change trigger ignores this column, so no cache is flushed by it.
/// </summary>
public sealed class ApiKeyUsage
{
    /// <summary>How stale a key's last-used time may be: the list of keys shows it to the minute.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _written = new();

    /// <summary>Notes that <paramref name="key"/> authenticated a request at <paramref name="now"/> (microseconds, as stored).</summary>
    public async Task RecordAsync(LeadsDbContext db, ApiKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var last = _written.TryGetValue(key.Id, out var written) && written > (key.LastUsedAt ?? DateTimeOffset.MinValue) ? written : key.LastUsedAt;
        if (last is { } at && now - at < Granularity)
        {
            return;
        }

        _written[key.Id] = now;
        var stale = now - Granularity;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE leads.api_keys SET last_used_at = {now}
            WHERE id = {key.Id} AND (last_used_at IS NULL OR last_used_at <= {stale})
            """, cancellationToken);
    }
}
