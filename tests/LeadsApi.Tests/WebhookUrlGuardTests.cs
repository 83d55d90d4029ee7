using System.Net;
using LeadsApi.Tests.Infrastructure;
using LeadsApi.Webhooks;
using Microsoft.Extensions.Options;

namespace LeadsApi.Tests;

/// <summary>
/// The SSRF guard at registration: which webhook URLs are refused and the reason the client reads on field url.
/// The ranges are restated here from the RFCs (IANA's special-purpose registries), not read from the guard.
/// </summary>
public sealed class WebhookUrlGuardTests
{
    private const string PublicOnly = "webhooks go to public addresses only.";

    private static readonly TestWebhookDns Dns = new TestWebhookDns()
        .Answers("localhost", ["127.0.0.1", "::1"])
        .Answers("public.example", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
        .Answers("internal.example", ["10.1.2.3"])
        .Answers("mixed.example", ["93.184.215.14", "10.1.2.3"])
        .Answers("empty.example", [[]]);

    public static TheoryData<string, string?> WhenLocalUrlsAreOff => new()
    {
        { "https://93.184.215.14/hooks/leads?token=abc", null },
        { "https://public.example/hook", null },
        { "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/hook", null },
        { "http://93.184.215.14/hook", "The URL must use https." },
        { "ftp://93.184.215.14/hook", "The URL must use https." },
        { "https://user:secret@93.184.215.14/hook", "The URL must not contain a user name or password." },
        { "https://93.184.215.14/hook#part", "The URL must not have a fragment." },
        { "https://nowhere.example/hook", "The host name does not resolve." },
        { "https://empty.example/hook", "The host name does not resolve." },
        { "https://127.0.0.1/hook", $"The URL resolves to a loopback address (127.0.0.1); {PublicOnly}" },
        { "https://0x7f000001/hook", $"The URL resolves to a loopback address (127.0.0.1); {PublicOnly}" },
        { "https://localhost/hook", $"The URL resolves to a loopback address (127.0.0.1); {PublicOnly}" },
        { "https://10.0.0.5/hook", $"The URL resolves to a private address (10.0.0.5); {PublicOnly}" },
        { "https://172.16.0.1/hook", $"The URL resolves to a private address (172.16.0.1); {PublicOnly}" },
        { "https://192.168.1.1/hook", $"The URL resolves to a private address (192.168.1.1); {PublicOnly}" },
        { "https://100.64.0.1/hook", $"The URL resolves to a carrier-grade NAT address (100.64.0.1); {PublicOnly}" },
        { "https://169.254.169.254/latest/meta-data/", $"The URL resolves to the cloud metadata address (169.254.169.254); {PublicOnly}" },
        { "https://[::1]/hook", $"The URL resolves to a loopback address (::1); {PublicOnly}" },
        { "https://[::ffff:127.0.0.1]/hook", $"The URL resolves to a loopback address (::ffff:127.0.0.1); {PublicOnly}" },
        { "https://[::ffff:10.0.0.1]/hook", $"The URL resolves to a private address (::ffff:10.0.0.1); {PublicOnly}" },
        { "https://[fe80::1]/hook", $"The URL resolves to a link-local address (fe80::1); {PublicOnly}" },
        { "https://[fd00:ec2::254]/hook", $"The URL resolves to the cloud metadata address (fd00:ec2::254); {PublicOnly}" },
        { "https://[fc00::1]/hook", $"The URL resolves to a unique-local address (fc00::1); {PublicOnly}" },
        { "https://[64:ff9b::a00:1]/hook", $"The URL resolves to a private address (64:ff9b::a00:1); {PublicOnly}" },
        { "https://[2002:a00:1::1]/hook", $"The URL resolves to a private address (2002:a00:1::1); {PublicOnly}" },
        { "https://internal.example/hook", $"The URL resolves to a private address (10.1.2.3); {PublicOnly}" },
        { "https://mixed.example/hook", $"The URL resolves to a private address (10.1.2.3); {PublicOnly}" },
    };

    public static TheoryData<string, string?> WhenLocalUrlsAreOn => new()
    {
        { "http://127.0.0.1:5080/hook", null },
        { "http://localhost:5080/hook", null },
        { "https://[::1]/hook", null },
        { "https://93.184.215.14/hook", null },
        { "ftp://127.0.0.1/hook", "The URL must use https or http." },
        { "http://10.0.0.1/hook", $"The URL resolves to a private address (10.0.0.1); {PublicOnly}" },
        { "http://192.168.1.1/hook", $"The URL resolves to a private address (192.168.1.1); {PublicOnly}" },
        { "http://169.254.169.254/hook", $"The URL resolves to the cloud metadata address (169.254.169.254); {PublicOnly}" },
        { "http://internal.example/hook", $"The URL resolves to a private address (10.1.2.3); {PublicOnly}" },
    };

    public static TheoryData<string, bool> Addresses => new()
    {
        { "93.184.215.14", true },
        { "8.8.8.8", true },
        { "9.255.255.255", true },
        { "11.0.0.0", true },
        { "100.63.255.255", true },
        { "100.128.0.0", true },
        { "172.15.255.255", true },
        { "172.32.0.0", true },
        { "192.167.255.255", true },
        { "192.169.0.0", true },
        { "198.17.255.255", true },
        { "198.20.0.0", true },
        { "223.255.255.255", true },
        { "0.0.0.0", false },
        { "0.1.2.3", false },
        { "10.0.0.0", false },
        { "10.255.255.255", false },
        { "100.64.0.0", false },
        { "100.127.255.255", false },
        { "127.0.0.1", false },
        { "127.255.255.254", false },
        { "169.254.0.1", false },
        { "169.254.169.254", false },
        { "172.16.0.0", false },
        { "172.31.255.255", false },
        { "192.0.0.8", false },
        { "192.0.2.1", false },
        { "192.168.0.1", false },
        { "198.18.0.1", false },
        { "198.19.255.255", false },
        { "198.51.100.7", false },
        { "203.0.113.9", false },
        { "224.0.0.1", false },
        { "239.255.255.255", false },
        { "240.0.0.1", false },
        { "255.255.255.255", false },
        { "2606:2800:21f:cb07:6820:80da:af6b:8b2c", true },
        { "2a00:1450:4001:80b::200e", true },
        { "::ffff:93.184.215.14", true },
        { "64:ff9b::5db8:d70e", true },
        { "2002:5db8:d70e::1", true },
        { "::", false },
        { "::1", false },
        { "::ffff:127.0.0.1", false },
        { "::ffff:169.254.169.254", false },
        { "::ffff:192.168.1.1", false },
        { "::10.0.0.1", false },
        { "::8.8.8.8", false },
        { "64:ff9b::7f00:1", false },
        { "64:ff9b::a9fe:a9fe", false },
        { "64:ff9b:1::1", false },
        { "2002:7f00:1::1", false },
        { "2002:c0a8:101::1", false },
        { "2001::1", false },
        { "2001:db8::1", false },
        { "fc00::1", false },
        { "fd00:ec2::254", false },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false },
        { "fe80::1", false },
        { "febf::1", false },
        { "fec0::1", false },
        { "ff02::1", false },
        { "100::1", false },
        { "4000::1", false },
    };

    [Theory]
    [MemberData(nameof(WhenLocalUrlsAreOff))]
    public async Task CheckAsync_LocalUrlsOff_AllowsOnlyHttpsToPublicAddresses(string url, string? reason)
    {
        Assert.Equal(reason, await Guard(allowInsecureLocalUrls: false).CheckAsync(new Uri(url), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(WhenLocalUrlsAreOn))]
    public async Task CheckAsync_LocalUrlsOn_AllowsHttpAndLoopbackButNoPrivateRange(string url, string? reason)
    {
        Assert.Equal(reason, await Guard(allowInsecureLocalUrls: true).CheckAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public async Task CheckAsync_RelativeUrl_IsRefused()
    {
        Assert.Equal("The URL must be absolute.", await Guard(allowInsecureLocalUrls: false).CheckAsync(new Uri("/hook", UriKind.Relative), CancellationToken.None));
    }

    [Fact]
    public async Task CheckAsync_SystemDns_ResolvesLocalhostToLoopback()
    {
        var guard = new WebhookUrlGuard(Options.Create(new WebhooksOptions()), new SystemWebhookDns());

        var reason = await guard.CheckAsync(new Uri("https://localhost/hook"), CancellationToken.None);

        Assert.StartsWith("The URL resolves to a loopback address (", reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public void IsPublic_SpecialPurposeRanges_AreNotPublic(string address, bool isPublic)
    {
        Assert.Equal(isPublic, WebhookUrlGuard.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("fc00::1", false)]
    public void IsAllowed_LocalUrlsOn_AllowsLoopbackOnly(string address, bool allowed)
    {
        Assert.Equal(allowed, Guard(allowInsecureLocalUrls: true).IsAllowed(IPAddress.Parse(address)));
        Assert.False(Guard(allowInsecureLocalUrls: false).IsAllowed(IPAddress.Parse(address)));
    }

    private static WebhookUrlGuard Guard(bool allowInsecureLocalUrls) =>
        new(Options.Create(new WebhooksOptions { AllowInsecureLocalUrls = allowInsecureLocalUrls }), Dns);
}
