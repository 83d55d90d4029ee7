using System.Security.Cryptography;

namespace LeadsApi.Webhooks;

/// <summary>
/// A subscription's signing secret in the Standard Webhooks form: <c>whsec_</c> and the base64 of the key bytes.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    // The spec allows keys of 24 to 64 bytes; ours are 32.
    private const int MinKeyBytes = 24;
    private const int MaxKeyBytes = 64;

    /// <summary>A new secret of 32 random bytes.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="secret"/> is <c>whsec_</c> and padded base64 of a 24 to 64 byte key.</summary>
    public static bool IsWellFormed(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> key = stackalloc byte[MaxKeyBytes + 1];
        return Convert.TryFromBase64String(secret[Prefix.Length..], key, out var length) && length >= MinKeyBytes && length <= MaxKeyBytes;
    }
}
