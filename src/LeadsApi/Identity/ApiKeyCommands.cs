using LeadsApi.Hosting;
using LeadsApi.Leads;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Identity;

public sealed record CreateApiKey(Caller Caller, CreateApiKeyRequest Body) : ICommand<ApiKeyResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed record ListApiKeys(Caller Caller, int Limit, ApiKeyCursor? Cursor) : IQuery<ApiKeyPage>;

/// <summary>Where a page of keys ends. A client could decode and edit one: its time is read as UTC, whatever offset it holds.</summary>
public sealed record ApiKeyCursor(DateTimeOffset CreatedAt, Guid Id);

public sealed record GetApiKey(Caller Caller, Guid KeyId) : IQuery<ApiKeyResponse>;

public sealed record RevokeApiKey(Caller Caller, Guid KeyId) : ICommand;

/// <summary>The query of the list of keys: <c>limit</c> and <c>cursor</c>, as the other lists take them.</summary>
public sealed record ApiKeyListParameters(
    [FromQuery(Name = "limit"), PublishedAs(typeof(int)), Limit(nameof(FieldLimits.ApiKeyPageSize))] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    private static readonly string[] Names = ["limit", "cursor"];

    public ListApiKeys ToQuery(Caller caller, IEnumerable<string> sent)
    {
        var errors = new ValidationErrors();
        var (limit, cursor) = errors.Page<ApiKeyCursor>(Limit, Cursor, FieldLimits.ApiKeyPageSize);
        errors.Unknown(sent, Names);
        return errors.IsEmpty ? new ListApiKeys(caller, limit, cursor) : throw new RequestValidationException(errors.ToDictionary());
    }
}

/// <summary>
/// A partner's keys, managed by its admins. A key of another partner, and a revoked key, is not found: revoking is final,
/// and a revoked key leaves the list (its row stays, with <c>revoked_at</c>, for the timeline's actors and for audits).
/// </summary>
public sealed class ApiKeys(LeadsDbContext db, ApiKeyIssuer issuer, ApiKeyCache cache, TimeProvider time)
    : ICommandHandler<CreateApiKey, ApiKeyResponse>, IQueryHandler<ListApiKeys, ApiKeyPage>, IQueryHandler<GetApiKey, ApiKeyResponse>,
      ICommandHandler<RevokeApiKey>
{
    public async ValueTask<ApiKeyResponse> Handle(CreateApiKey command, CancellationToken cancellationToken)
    {
        var (caller, body) = (command.Caller, command.Body);
        var errors = new ValidationErrors();
        var roles = body.Roles!;
        for (var i = 0; i < roles.Count; i++)
        {
            if (!Roles.CanGrant(caller.Roles, roles[i]))
            {
                errors.Add($"roles[{i}]", $"Your key cannot grant {ValidationErrors.Quote(roles[i])}: a key gets only roles its creator holds.");
            }
        }

        var now = time.GetUtcNowMicroseconds();
        var expiresAt = body.ExpiresAt is { } given ? Microseconds(given) : (DateTimeOffset?)null;
        if (expiresAt is { } expiry && FieldLimits.ApiKeyExpiry.Refuse(expiry, now) is { } refused)
        {
            errors.Add("expiresAt", refused);
        }

        if (!errors.IsEmpty)
        {
            throw new RequestValidationException(errors.ToDictionary());
        }

        var issued = await issuer.CreatePartnerUserKeyAsync(
            PartnerOf(caller), body.Name!.Trim(), roles, expiresAt, KeyCreator.Of(caller), cancellationToken);
        return ApiKeyResponse.From(issued);
    }

    public async ValueTask<ApiKeyPage> Handle(ListApiKeys query, CancellationToken cancellationToken)
    {
        var partnerId = PartnerOf(query.Caller);
        var keys = db.ApiKeys.AsNoTracking().Where(k => k.PartnerId == partnerId && k.RevokedAt == null);
        var rows = await keys.OrderByKeyset(k => k.CreatedAt, k => k.Id, descending: false, query.Cursor is { } c ? (c.CreatedAt.ToUniversalTime(), c.Id) : null)
            .Take(query.Limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit
            ? $"/v1/api-keys?limit={query.Limit}&cursor={OpaqueCursor.Encode(new ApiKeyCursor(page[^1].CreatedAt, page[^1].Id))}"
            : null;
        return new ApiKeyPage([.. page.Select(k => ApiKeyResponse.From(k))], next);
    }

    public async ValueTask<ApiKeyResponse> Handle(GetApiKey query, CancellationToken cancellationToken) =>
        ApiKeyResponse.From(await LiveKeyAsync(db.ApiKeys.AsNoTracking(), query.Caller, query.KeyId, cancellationToken));

    /// <summary>
    /// Revokes the key, the caller's own included (its next request is 401). The database's trigger tells every instance
    /// when the revocation commits (<see cref="ApiKeyChangeListener"/>); this one forgets the key at once as well.
    /// </summary>
    public async ValueTask<Unit> Handle(RevokeApiKey command, CancellationToken cancellationToken)
    {
        var key = await LiveKeyAsync(db.ApiKeys, command.Caller, command.KeyId, cancellationToken);
        key.RevokedAt = time.GetUtcNowMicroseconds();
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate(key.Hash);
        return Unit.Value;
    }

    private static async Task<ApiKey> LiveKeyAsync(IQueryable<ApiKey> keys, Caller caller, Guid keyId, CancellationToken cancellationToken)
    {
        var partnerId = PartnerOf(caller);
        return await keys.FirstOrDefaultAsync(k => k.Id == keyId && k.PartnerId == partnerId && k.RevokedAt == null, cancellationToken)
            ?? throw new ApiKeyNotFoundException(keyId);
    }

    /// <summary>The policy lets only a partner's admins in; a caller without a partner reaching here is a bug.</summary>
    private static Guid PartnerOf(Caller caller) =>
        caller.PartnerId ?? throw new InvalidOperationException("Only a partner's admins manage API keys.");

    /// <summary>As PostgreSQL stores it, so the answer and a later read agree.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}

/// <summary>No live key with this id belongs to the caller's partner; another partner's key is reported the same way.</summary>
public sealed class ApiKeyNotFoundException(Guid keyId) : Exception($"No API key with id {keyId} belongs to your partner (a revoked key is gone).");
