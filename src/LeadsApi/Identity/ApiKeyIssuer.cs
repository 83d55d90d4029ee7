using LeadsApi.Domain.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Identity;

/// <summary>A key as it is shown once, at creation; only its hash is stored.</summary>
public sealed record IssuedKey(Guid KeyId, Guid UserId, string ApiKey);

/// <summary>Onboards partners and senders and issues their keys. Used by the admin command line.</summary>
public sealed class ApiKeyIssuer(LeadsDbContext db, TimeProvider time)
{
    public async Task<(Partner Partner, IssuedKey Key)> CreatePartnerAsync(string name, CancellationToken cancellationToken)
    {
        var partner = new Partner { Id = Guid.CreateVersion7(), Name = name, CreatedAt = time.GetUtcNow() };
        db.Partners.Add(partner);
        var key = Issue(partner.Id, null, "admin", [Roles.PartnerAdmin]);
        await db.SaveChangesAsync(cancellationToken);
        return (partner, key);
    }

    public async Task<(Sender Sender, IssuedKey Key)> CreateSenderAsync(string name, SenderKind kind, CancellationToken cancellationToken)
    {
        var sender = new Sender { Id = Guid.CreateVersion7(), Name = name, Kind = kind, CreatedAt = time.GetUtcNow() };
        db.Senders.Add(sender);
        var key = Issue(null, sender.Id, name, [Roles.Sender]);
        await db.SaveChangesAsync(cancellationToken);
        return (sender, key);
    }

    /// <summary>Another key for an existing sender.</summary>
    public async Task<IssuedKey> CreateSenderKeyAsync(Guid senderId, CancellationToken cancellationToken)
    {
        var sender = await db.Senders.FirstOrDefaultAsync(s => s.Id == senderId, cancellationToken)
            ?? throw new ArgumentException($"No sender with id {senderId}.", nameof(senderId));
        var key = Issue(null, sender.Id, sender.Name, [Roles.Sender]);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>A new key for a user of an existing partner, with the roles given.</summary>
    public async Task<IssuedKey> CreatePartnerUserKeyAsync(Guid partnerId, string userName, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new ArgumentException($"No partner with id {partnerId}.", nameof(partnerId));
        }

        var unknown = roles.Where(r => !Roles.All.Contains(r) || r is Roles.Sender or Roles.PlatformAdmin).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Not a partner role: {string.Join(", ", unknown)}. Use {Roles.PartnerAdmin}, {Roles.ReferralsAdmin} or {Roles.ReferralsReader}.",
                nameof(roles));
        }

        var key = Issue(partnerId, null, userName, roles);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    private IssuedKey Issue(Guid? partnerId, Guid? senderId, string userName, IReadOnlyList<string> roles)
    {
        var secret = ApiKey.NewSecret();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Hash = ApiKey.HashOf(secret),
            PartnerId = partnerId,
            SenderId = senderId,
            UserId = Guid.CreateVersion7(),
            UserName = userName,
            Roles = [.. roles],
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        return new IssuedKey(key.Id, key.UserId, secret);
    }
}
