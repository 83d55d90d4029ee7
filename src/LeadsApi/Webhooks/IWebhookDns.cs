using System.Net;

namespace LeadsApi.Webhooks;

/// <summary>
/// Resolves a webhook host, both when a URL is registered and each time a delivery connects. Tests substitute
/// their own to make a name resolve wherever a case needs.
/// </summary>
public interface IWebhookDns
{
    /// <summary>The host's addresses; empty, or a <see cref="System.Net.Sockets.SocketException"/>, when it does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class SystemWebhookDns : IWebhookDns
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
