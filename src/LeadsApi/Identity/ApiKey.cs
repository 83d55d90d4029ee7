using System.Security.Cryptography;
using System.Text;

namespace LeadsApi.Identity;

/// <summary>
/// A stored API key. Only the SHA-256 of the key is kept: keys are 256 random bits, so a fast hash
/// is enough to make a leaked table useless, and lookups stay one indexed equality. The first characters
/// (<see cref="Prefix"/>) are kept in the clear so people can tell their keys apart.
/// </summary>
public sealed class ApiKey
{
    public const string SecretPrefix = "lak_";

    /// <summary>How much of the secret is kept and shown: <c>lak_</c> and 8 characters (48 of its 256 bits).</summary>
    public const int PrefixLength = 12;

    public required Guid Id { get; init; }
    public required string Hash { get; init; }

    /// <summary>The secret's first <see cref="PrefixLength"/> characters; only <c>lak_</c> for keys issued before prefixes were kept.</summary>
    public required string Prefix { get; init; }

    public Guid? PartnerId { get; init; }
    public Guid? SenderId { get; init; }
    public required Guid UserId { get; init; }

    /// <summary>The key's user's name, which the timeline shows; the key's name in the list of keys.</summary>
    public required string UserName { get; init; }

    public required string[] Roles { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The user who created the key over HTTP; null for a key an operator issued with the admin command line.</summary>
    public Guid? CreatedByUserId { get; init; }

    public string? CreatedByName { get; init; }

    /// <summary>After this the key is refused like a revoked one; null for a key that does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the key last authenticated a request, to the minute (<see cref="ApiKeyUsage"/>).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A new random key in its printable form.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string PrefixOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret[..Math.Min(PrefixLength, secret.Length)];
    }
}
