using StandardWebhooks;

namespace LeadsApi.Webhooks;

/// <summary>Signs deliveries the Standard Webhooks way, through its reference library.</summary>
public static class WebhookSigner
{
    /// <summary>
    /// The <c>webhook-signature</c> header value: one <c>v1,&lt;base64&gt;</c> per secret, space-separated, so a
    /// receiver still verifies with either secret while one is being rotated.
    /// </summary>
    /// <exception cref="ArgumentException">No secrets, or one that is not <see cref="WebhookSecret.IsWellFormed"/>.</exception>
    public static string Sign(string messageId, DateTimeOffset timestamp, string body, IReadOnlyList<string> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("A delivery is signed with at least one secret.", nameof(secrets));
        }

        if (!secrets.All(WebhookSecret.IsWellFormed))
        {
            throw new ArgumentException($"Every secret must be {WebhookSecret.Prefix} and base64 of a 24 to 64 byte key.", nameof(secrets));
        }

        return string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, body)));
    }
}
