using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Idempotency;

/// <summary>What a request with an <c>Idempotency-Key</c> finds when it claims the key.</summary>
public abstract record KeyClaim
{
    /// <summary>The key is this request's now: run it, then <see cref="IdempotencyStore.CompleteAsync"/> or <see cref="IdempotencyStore.ReleaseAsync"/>.</summary>
    public sealed record Started : KeyClaim;

    /// <summary>The key already answered this request: send <paramref name="Record"/>'s answer again.</summary>
    public sealed record Answered(IdempotencyRecord Record) : KeyClaim;

    /// <summary>The key was used for another request (another method, path or body).</summary>
    public sealed record Reused : KeyClaim;

    /// <summary>The first request with the key is still running.</summary>
    public sealed record InFlight : KeyClaim;
}

/// <summary>
/// The keys and their answers, in <c>leads.idempotency_records</c>. Every statement stands alone (no transaction is held
/// while the request runs): a key is claimed by one INSERT, which also takes over a key past its retention or a lease
/// whose request died, and the answer is written by one UPDATE.
/// </summary>
public sealed class IdempotencyStore(LeadsDbContext db, TimeProvider time, IOptions<IdempotencyOptions> options)
{
    public async Task<KeyClaim> ClaimAsync(Guid ownerId, Guid userId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        while (true)
        {
            var now = time.GetUtcNowMicroseconds();
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO leads.idempotency_records AS r (owner_id, user_id, key, request_hash, created_at, expires_at, locked_until)
                VALUES ({ownerId}, {userId}, {key}, {requestHash}, {now}, {now + settings.Retention}, {now + settings.Lease})
                ON CONFLICT (owner_id, user_id, key) DO UPDATE SET
                    request_hash = excluded.request_hash, created_at = excluded.created_at, expires_at = excluded.expires_at,
                    locked_until = excluded.locked_until, status = NULL, response_headers = NULL, response_body = NULL
                WHERE r.expires_at <= {now} OR (r.status IS NULL AND r.locked_until <= {now})
                """, cancellationToken);
            if (claimed == 1)
            {
                return new KeyClaim.Started();
            }

            var record = await db.Set<IdempotencyRecord>().AsNoTracking()
                .SingleOrDefaultAsync(r => r.OwnerId == ownerId && r.UserId == userId && r.Key == key, cancellationToken);
            if (record is null)
            {
                continue; // released or purged between the two statements: claim it again
            }

            return !record.RequestHash.AsSpan().SequenceEqual(requestHash) ? new KeyClaim.Reused()
                : record.Status is null ? new KeyClaim.InFlight()
                : new KeyClaim.Answered(record);
        }
    }

    /// <summary>Keeps the answer of the request that holds the key.</summary>
    public Task CompleteAsync(Guid ownerId, Guid userId, string key, byte[] requestHash, int status, string headers, byte[] body) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE leads.idempotency_records
            SET status = {status}, response_headers = {headers}::jsonb, response_body = {body}, locked_until = NULL
            WHERE owner_id = {ownerId} AND user_id = {userId} AND key = {key} AND request_hash = {requestHash} AND status IS NULL
            """, CancellationToken.None);

    /// <summary>Gives the key up: the request answered with a problem, so a retry runs it again.</summary>
    public Task ReleaseAsync(Guid ownerId, Guid userId, string key, byte[] requestHash) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM leads.idempotency_records
            WHERE owner_id = {ownerId} AND user_id = {userId} AND key = {key} AND request_hash = {requestHash} AND status IS NULL
            """, CancellationToken.None);
}
