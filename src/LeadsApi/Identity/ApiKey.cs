using System.Security.Cryptography;
using System.Text;

namespace LeadsApi.Identity;

/// <summary>
/// A stored API key. Only the SHA-256 of the key is kept: keys are 256 random bits, so a fast hash
/// is enough to make a leaked table useless, and lookups stay one indexed equality.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "lak_";

    public required Guid Id { get; init; }
    public required string Hash { get; init; }
    public Guid? PartnerId { get; init; }
    public Guid? SenderId { get; init; }
    public required Guid UserId { get; init; }
    public required string UserName { get; init; }
    public required string[] Roles { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A new random key in its printable form.</summary>
    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
