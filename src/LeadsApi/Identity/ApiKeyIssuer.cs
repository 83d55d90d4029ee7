using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Identity;

/// <summary>A key as it is shown once, at creation: the stored record and the secret, of which only the hash is stored.</summary>
public sealed record IssuedKey(ApiKey Stored, string ApiKey)
{
    public Guid KeyId => Stored.Id;

    public Guid UserId => Stored.UserId;
}

/// <summary>Who asked for a key: the user of a key (or token) over HTTP; null for an operator at the admin command line.</summary>
public sealed record KeyCreator(Guid UserId, string Name)
{
    public static KeyCreator Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new KeyCreator(caller.UserId, caller.UserName);
    }
}

/// <summary>
/// Onboards partners and senders and issues their keys: the one code path of the admin command line and of the HTTP
/// endpoints (<see cref="ApiKeysEndpoints"/>, <see cref="OnboardingEndpoints"/>).
/// </summary>
public sealed class ApiKeyIssuer(LeadsDbContext db, TimeProvider time)
{
    public Task<(Partner Partner, IssuedKey Key)> CreatePartnerAsync(string name, CancellationToken cancellationToken) =>
        CreatePartnerAsync(name, null, cancellationToken);

    public async Task<(Partner Partner, IssuedKey Key)> CreatePartnerAsync(string name, KeyCreator? creator, CancellationToken cancellationToken)
    {
        var partner = new Partner { Id = Guid.CreateVersion7(), Name = name, CreatedAt = time.GetUtcNowMicroseconds() };
        db.Partners.Add(partner);
        var key = Issue(partner.Id, null, "admin", [Roles.PartnerAdmin], null, creator);
        await db.SaveChangesAsync(cancellationToken);
        return (partner, key);
    }

    public Task<(Sender Sender, IssuedKey Key)> CreateSenderAsync(string name, SenderKind kind, CancellationToken cancellationToken) =>
        CreateSenderAsync(name, kind, null, cancellationToken);

    public async Task<(Sender Sender, IssuedKey Key)> CreateSenderAsync(string name, SenderKind kind, KeyCreator? creator, CancellationToken cancellationToken)
    {
        var sender = new Sender { Id = Guid.CreateVersion7(), Name = name, Kind = kind, CreatedAt = time.GetUtcNowMicroseconds() };
        db.Senders.Add(sender);
        var key = Issue(null, sender.Id, name, [Roles.Sender], null, creator);
        await db.SaveChangesAsync(cancellationToken);
        return (sender, key);
    }

    /// <summary>Another key for an existing sender.</summary>
    public async Task<IssuedKey> CreateSenderKeyAsync(Guid senderId, CancellationToken cancellationToken)
    {
        var sender = await db.Senders.FirstOrDefaultAsync(s => s.Id == senderId, cancellationToken)
            ?? throw new ArgumentException($"No sender with id {senderId}.", nameof(senderId));
        var key = Issue(null, sender.Id, sender.Name, [Roles.Sender], null, null);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>A key of the platform's own staff: it onboards partners and senders, and does nothing else.</summary>
    public async Task<IssuedKey> CreatePlatformKeyAsync(string name, CancellationToken cancellationToken)
    {
        var key = Issue(null, null, name, [Roles.PlatformAdmin], null, null);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task<IssuedKey> CreatePartnerUserKeyAsync(Guid partnerId, string userName, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        CreatePartnerUserKeyAsync(partnerId, userName, roles, null, null, cancellationToken);

    /// <summary>A new key for a user of an existing partner, with the roles given (partner roles only).</summary>
    public async Task<IssuedKey> CreatePartnerUserKeyAsync(
        Guid partnerId, string userName, IReadOnlyList<string> roles, DateTimeOffset? expiresAt, KeyCreator? creator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new ArgumentException($"No partner with id {partnerId}.", nameof(partnerId));
        }

        var unknown = roles.Where(r => !Roles.OfPartnerUsers.Contains(r)).ToList();
        if (unknown.Count > 0 || roles.Count == 0)
        {
            throw new ArgumentException(
                $"Not a partner role: {string.Join(", ", unknown)}. Use {Roles.PartnerAdmin}, {Roles.ReferralsAdmin} or {Roles.ReferralsReader}.",
                nameof(roles));
        }

        var key = Issue(partnerId, null, userName, roles, expiresAt, creator);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>Each key is a user of its own (its stars, its name in the timeline).</summary>
    private IssuedKey Issue(Guid? partnerId, Guid? senderId, string userName, IReadOnlyList<string> roles, DateTimeOffset? expiresAt, KeyCreator? creator)
    {
        var secret = ApiKey.NewSecret();
        var now = time.GetUtcNowMicroseconds();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            Hash = ApiKey.HashOf(secret),
            Prefix = ApiKey.PrefixOf(secret),
            PartnerId = partnerId,
            SenderId = senderId,
            UserId = Guid.CreateVersion7(now),
            UserName = userName,
            Roles = [.. roles],
            CreatedAt = now,
            CreatedByUserId = creator?.UserId,
            CreatedByName = creator?.Name,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(key);
        return new IssuedKey(key, secret);
    }
}
