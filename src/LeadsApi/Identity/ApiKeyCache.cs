using System.Collections.Concurrent;

namespace LeadsApi.Identity;

/// <summary>
/// The keys requests used lately, so that authenticating costs no database round trip. It is trusted only while
/// <see cref="ApiKeyChangeListener"/> listens to the database's key changes: a revoked (or deleted) key is dropped the
/// moment PostgreSQL tells every instance, and while nobody listens every request reads its key from the database.
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>How long a key is kept without being read again from the database, changes or not.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private long _generation;
    private volatile bool _trusted;

    /// <summary>Counts invalidations: a key read from the database is cached only if none happened meanwhile.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string hash, out ApiKey key)
    {
        if (_trusted && _keys.TryGetValue(hash, out var entry) && entry.Until > time.GetUtcNow())
        {
            key = entry.Key;
            return true;
        }

        key = null!;
        return false;
    }

    /// <summary>Keeps a key read from the database, unless a change arrived since <paramref name="readAt"/> (a generation).</summary>
    public void Add(ApiKey key, long readAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_trusted && Generation == readAt)
        {
            _keys[key.Hash] = new Entry(key, time.GetUtcNow() + Lifetime);
        }
    }

    /// <summary>A key changed (revoked, deleted): forget it.</summary>
    public void Invalidate(string hash)
    {
        Interlocked.Increment(ref _generation);
        _keys.TryRemove(hash, out _);
    }

    /// <summary>The listener is listening (again): from now on every change reaches the cache.</summary>
    public void Trust()
    {
        Forget();
        _trusted = true;
    }

    /// <summary>The listener lost its connection: changes may be missed, so nothing cached counts any more.</summary>
    public void Distrust()
    {
        _trusted = false;
        Forget();
    }

    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        _keys.Clear();
    }

    private sealed record Entry(ApiKey Key, DateTimeOffset Until);
}
