using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;

namespace LeadsApi.Identity;

/// <summary>An API key, as the partner's admins see it: never its hash, and its secret only in the answer that created it.</summary>
/// <param name="Id">The key's id: its address is /v1/api-keys/{id}.</param>
/// <param name="Name">Who or what uses the key; the timeline shows it as the actor of what the key did.</param>
/// <param name="Prefix">The secret's first 12 characters (lak_ and 8 more), to tell keys apart; only lak_ for keys issued before prefixes were kept.</param>
/// <param name="Roles">What the key may do.</param>
/// <param name="UserId">The key's user, as the timeline names the actor (each key is a user of its own).</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="CreatedBy">Who created it; null for a key an operator issued with the admin command line.</param>
/// <param name="LastUsedAt">When it last authenticated a request, to the minute; null if it never did.</param>
/// <param name="ExpiresAt">When it stops working; null if it works until it is revoked. An expired key is still listed until it is revoked.</param>
/// <param name="Secret">The key itself (lak_...): only in the answer that created it, never again (a replay with the same Idempotency-Key lacks it too). Send it as `Authorization: Bearer lak_...`.</param>
public sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Roles,
    Guid UserId,
    DateTimeOffset CreatedAt,
    ApiKeyCreator? CreatedBy,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static ApiKeyResponse From(ApiKey key, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiKeyResponse(
            key.Id, key.UserName, key.Prefix, key.Roles, key.UserId, key.CreatedAt,
            key.CreatedByUserId is { } by ? new ApiKeyCreator(by, key.CreatedByName ?? "") : null,
            key.LastUsedAt, key.ExpiresAt, secret);
    }

    public static ApiKeyResponse From(IssuedKey issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return From(issued.Stored, issued.ApiKey);
    }
}

/// <summary>Who created a key.</summary>
/// <param name="UserId">The creator's user id (of the key, or of the signed-in user, that made the call).</param>
/// <param name="Name">The creator's name.</param>
public sealed record ApiKeyCreator(Guid UserId, string Name);

/// <summary>A page of the partner's API keys, oldest first.</summary>
/// <param name="Items">The keys that work or have expired; revoked keys are gone from the list.</param>
/// <param name="NextLink">The next page; absent on the last.</param>
public sealed record ApiKeyPage(
    IReadOnlyList<ApiKeyResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>A partner, just onboarded, and the key of its first admin.</summary>
/// <param name="PartnerId">The partner's id: senders name it in the leads they create for the partner.</param>
/// <param name="Name">The partner's name.</param>
/// <param name="CreatedAt">When it was onboarded.</param>
/// <param name="Key">The first partnerAdmin key, with its secret (this once): with it the partner creates its other keys.</param>
public sealed record OnboardedPartner(Guid PartnerId, string Name, DateTimeOffset CreatedAt, ApiKeyResponse Key);

/// <summary>A sender, just onboarded, and its key.</summary>
/// <param name="SenderId">The sender's id, as leads name their sender.</param>
/// <param name="Name">The sender's name.</param>
/// <param name="Kind">What sends the leads.</param>
/// <param name="CreatedAt">When it was onboarded.</param>
/// <param name="Key">The sender's key, with its secret (this once).</param>
public sealed record OnboardedSender(Guid SenderId, string Name, SenderKind Kind, DateTimeOffset CreatedAt, ApiKeyResponse Key);
