using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace LeadsApi.Webhooks;

/// <summary>
/// Keeps webhooks off the service's own network (SSRF): a URL is checked when it is registered, and every
/// delivery connects only to addresses checked again at connect time, so a DNS answer that changes later
/// cannot reach private space either.
/// </summary>
public sealed class WebhookUrlGuard(IOptions<WebhooksOptions> options, IWebhookDns dns)
{
    private const string PublicOnly = "webhooks go to public addresses only";

    // First match names the range. IPv4 carried inside IPv6 (mapped, NAT64, 6to4) is unwrapped before this.
    private static readonly (IPNetwork Network, string Name)[] BlockedRanges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.169.254/32"), "the cloud metadata address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.88.99.0/24"), "a 6to4 relay address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        // IPv4-compatible addresses are deprecated (RFC 4291); nothing legitimate is reached through one.
        (IPNetwork.Parse("::/96"), "an IPv4-compatible address"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "a local NAT64 address"),
        (IPNetwork.Parse("100::/64"), "a discard address"),
        // Teredo hides the client's IPv4 address (obfuscated), which cannot be checked.
        (IPNetwork.Parse("2001::/32"), "a Teredo address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "the cloud metadata address"),
        (IPNetwork.Parse("fc00::/7"), "a unique-local address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    // Only this part of IPv6 is global unicast; anything else not named above is reserved.
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// Whether <paramref name="url"/> may be a webhook: null when it may, else why not, for a validation error on
    /// the URL. Every address the host resolves to must be allowed.
    /// </summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (CheckForm(url) is { } refusal)
        {
            return refusal;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await AddressesOfAsync(url.IdnHost, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return "The host name does not resolve.";
        }

        if (addresses.Length == 0)
        {
            return "The host name does not resolve.";
        }

        foreach (var address in addresses)
        {
            if (!IsAllowed(address) && BlockedRangeOf(address) is { } range)
            {
                return $"The URL resolves to {range} ({address}); {PublicOnly}.";
            }
        }

        return null;
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/>: public, or loopback while local URLs are allowed.</summary>
    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsPublic(address) || (options.Value.AllowInsecureLocalUrls && IPAddress.IsLoopback(address));
    }

    /// <summary>Whether <paramref name="address"/> is a public unicast address, outside every special-purpose range.</summary>
    public static bool IsPublic(IPAddress address) => BlockedRangeOf(address) is null;

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/> of deliveries: resolves the host now, drops the
    /// addresses not allowed and connects to the first remaining one that answers.
    /// </summary>
    /// <exception cref="WebhookAddressBlockedException">The host resolves to no allowed address.</exception>
    internal async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await AddressesOfAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var allowed = addresses.Where(IsAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressBlockedException(host, addresses);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The checks that need no DNS: absolute, https (or http while local URLs are allowed), no user info, no fragment.</summary>
    internal string? CheckForm(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var insecureAllowed = options.Value.AllowInsecureLocalUrls;
        if (!url.IsAbsoluteUri)
        {
            return "The URL must be absolute.";
        }

        if (url.Scheme != Uri.UriSchemeHttps && !(insecureAllowed && url.Scheme == Uri.UriSchemeHttp))
        {
            return insecureAllowed ? "The URL must use https or http." : "The URL must use https.";
        }

        if (url.UserInfo.Length > 0)
        {
            return "The URL must not contain a user name or password.";
        }

        return url.Fragment.Length > 0 ? "The URL must not have a fragment." : null;
    }

    // An IP literal is its own answer; only names go to DNS.
    private async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await dns.ResolveAsync(host, cancellationToken);

    private static string? BlockedRangeOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (EmbeddedIPv4(address) is { } inner)
        {
            return BlockedRangeOf(inner);
        }

        foreach (var (network, name) in BlockedRanges)
        {
            if (network.Contains(address))
            {
                return name;
            }
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicast.Contains(address) ? "a reserved address" : null;
    }

    // The IPv4 address a packet to this IPv6 address really goes to: IPv4-mapped (::ffff:a.b.c.d),
    // NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return Nat64.Contains(address) ? new IPAddress(bytes.AsSpan(12, 4))
            : SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4))
            : null;
    }
}
