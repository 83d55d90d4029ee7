using System.Security.Claims;
using LeadsApi.Domain.Leads;

namespace LeadsApi.Identity;

/// <summary>
/// Who is calling: a user of one partner, or a sender. Handlers take it as an argument, so tenancy is
/// explicit in every query and nothing reaches for the HTTP context.
/// </summary>
public sealed record Caller(Guid? PartnerId, Guid? SenderId, Guid UserId, string UserName, IReadOnlySet<string> Roles)
{
    public const string PartnerIdClaim = "partner_id";
    public const string SenderIdClaim = "sender_id";
    public const string UserIdClaim = "user_id";

    /// <summary>
    /// A sender's key, which belongs to no partner: it reads the leads it sent in the sender's
    /// representation, never the partner's.
    /// </summary>
    public bool IsSender => PartnerId is null && SenderId is not null;

    /// <summary>
    /// Guards the partner's representations of a lead (the full lead, its timeline): a request that reaches
    /// one with any other caller is a bug, and fails rather than hands the partner's data out.
    /// </summary>
    public void EnsurePartnerUser()
    {
        if (PartnerId is null)
        {
            throw new InvalidOperationException("Only a partner's users read the partner's representation of a lead; a sender reads the sender's.");
        }
    }

    public Actor Actor => SenderId is { } senderId
        ? new Actor(ActorKind.Sender, senderId.ToString(), UserName)
        : new Actor(ActorKind.User, UserId.ToString(), UserName);

    public static Caller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new Caller(
            GuidClaim(principal, PartnerIdClaim),
            GuidClaim(principal, SenderIdClaim),
            GuidClaim(principal, UserIdClaim) ?? Guid.Empty,
            principal.Identity?.Name ?? "unknown",
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    private static Guid? GuidClaim(ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var value) ? value : null;
}
