using System.Net;

namespace LeadsApi.Webhooks;

/// <summary>
/// A delivery found no address it may connect to: the host resolved, at connect time, only to addresses the
/// <see cref="WebhookUrlGuard"/> blocks (a DNS answer that changed since the URL was registered, say).
/// </summary>
public sealed class WebhookAddressBlockedException(string host, IReadOnlyList<IPAddress> addresses)
    : HttpRequestException(
        HttpRequestError.ConnectionError,
        $"{host} resolves to no public address ({string.Join(", ", addresses)}); webhooks go to public addresses only.")
{
    public string Host { get; } = host;

    public IReadOnlyList<IPAddress> Addresses { get; } = addresses;
}
