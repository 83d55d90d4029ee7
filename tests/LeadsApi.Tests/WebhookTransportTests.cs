using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LeadsApi.Tests.Infrastructure;
using LeadsApi.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>
/// Deliveries over a real socket to a Kestrel receiver on 127.0.0.1: what arrives, and that the connection is
/// guarded when it is made, not only when the URL was registered. Every outcome but the caller's own
/// cancellation comes back as a result.
/// </summary>
public sealed class WebhookTransportTests
{
    private const string MessageId = "msg_2f1c0b7e9a";
    private const string Body = """{"event":"lead.accepted","name":"Zoë O'Brien \"Grüße\" – 東京"}""";
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public async Task SendAsync_LocalUrlsOn_DeliversTheExactBodyWithStandardWebhooksHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Answer(context, StatusCodes.Status204NoContent));
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true);
        string[] secrets = [WebhookSecret.New(), WebhookSecret.New()];

        var result = await Send(services, new Uri(receiver.Address, "/hooks/leads"), secrets);

        Assert.Equal((204, null), (result.StatusCode, result.Error));
        Assert.True(result.Succeeded);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal(("POST", "/hooks/leads"), (received.Method, received.Path));
        Assert.Equal(Encoding.UTF8.GetBytes(Body), received.Body);
        Assert.Equal(MessageId, received.Headers["webhook-id"]);
        Assert.Equal("1800000000", received.Headers["webhook-timestamp"]);
        Assert.Equal("LeadsApi-Webhooks/1", received.Headers["User-Agent"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        // Recomputed from the bytes that arrived, so what was signed is what was sent.
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{MessageId}.1800000000."), .. received.Body];
        var expected = secrets.Select(s => "v1," + Convert.ToBase64String(
            HMACSHA256.HashData(Convert.FromBase64String(s[WebhookSecret.Prefix.Length..]), signed)));
        Assert.Equal(string.Join(' ', expected), received.Headers["webhook-signature"]);
    }

    [Fact]
    public async Task SendAsync_NameRebindsToLoopbackAfterRegistration_NeverConnects()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Answer(context, StatusCodes.Status200OK));
        var dns = new TestWebhookDns().Answers("receiver.example", ["93.184.215.14"], ["127.0.0.1"]);
        using var services = Transport(dns, allowInsecureLocalUrls: false);
        var url = new Uri($"https://receiver.example:{receiver.Port}/hook");
        Assert.Null(await services.GetRequiredService<WebhookUrlGuard>().CheckAsync(url, CancellationToken.None));

        var result = await Send(services, url, [WebhookSecret.New()]);

        Assert.Null(result.StatusCode);
        Assert.Equal("receiver.example resolves to no public address (127.0.0.1); webhooks go to public addresses only.", result.Error);
        Assert.Equal(2, dns.LookupsOf("receiver.example"));
        Assert.Equal(0, receiver.Connections);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_NameResolvesToAPrivateAddress_IsBlockedEvenWithLocalUrlsOn()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Answer(context, StatusCodes.Status200OK));
        using var services = Transport(new TestWebhookDns().Answers("receiver.example", ["10.0.0.1", "169.254.169.254"]), allowInsecureLocalUrls: true);

        var result = await Send(services, new Uri($"http://receiver.example:{receiver.Port}/hook"), [WebhookSecret.New()]);

        Assert.Equal(
            "receiver.example resolves to no public address (10.0.0.1, 169.254.169.254); webhooks go to public addresses only.",
            result.Error);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task SendAsync_ReceiverRedirects_IsAFailedAttemptAndTheTargetIsNotCalled()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context =>
        {
            if (context.Request.Path == "/hook")
            {
                context.Response.Redirect("/elsewhere");
            }

            return Task.CompletedTask;
        });
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true);

        var result = await Send(services, new Uri(receiver.Address, "/hook"), [WebhookSecret.New()]);

        Assert.Equal((302, "The receiver answered 302."), (result.StatusCode, result.Error));
        Assert.False(result.Succeeded);
        Assert.Equal(["/hook"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task SendAsync_ReceiverAnswers500_IsAFailedAttemptWithItsStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Answer(context, StatusCodes.Status500InternalServerError));
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true);

        var result = await Send(services, new Uri(receiver.Address, "/hook"), [WebhookSecret.New()]);

        Assert.Equal((500, "The receiver answered 500."), (result.StatusCode, result.Error));
    }

    [Fact]
    public async Task SendAsync_ReceiverSlowerThanTheRequestTimeout_IsATimeout()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true, requestTimeout: TimeSpan.FromSeconds(1));
        var elapsed = Stopwatch.StartNew();

        var result = await Send(services, new Uri(receiver.Address, "/hook"), [WebhookSecret.New()]);

        Assert.Equal((null, "The receiver did not answer within 1 s."), (result.StatusCode, result.Error));
        Assert.InRange(result.Latency, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"The attempt took {elapsed.Elapsed}.");
    }

    [Fact]
    public async Task SendAsync_ReceiverStallsAfterItsStatus_CountsTheStatusWithinTheTimeout()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("ok ", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true, requestTimeout: TimeSpan.FromSeconds(1));

        var result = await Send(services, new Uri(receiver.Address, "/hook"), [WebhookSecret.New()]);

        Assert.Equal((200, null), (result.StatusCode, result.Error));
        Assert.InRange(result.Latency, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendAsync_NothingListens_IsAConnectionFailure()
    {
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true);

        var result = await Send(services, new Uri($"http://127.0.0.1:{ClosedPort()}/hook"), [WebhookSecret.New()]);

        Assert.Equal((null, "Could not connect to the receiver (ConnectionRefused)."), (result.StatusCode, result.Error));
    }

    [Fact]
    public async Task SendAsync_HostDoesNotResolve_SaysSo()
    {
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: false);

        var result = await Send(services, new Uri("https://nowhere.example/hook"), [WebhookSecret.New()]);

        Assert.Equal((null, "The host name does not resolve."), (result.StatusCode, result.Error));
    }

    [Fact]
    public async Task SendAsync_HttpUrlWithLocalUrlsOff_IsRefusedWithoutConnecting()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Answer(context, StatusCodes.Status200OK));
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: false);

        var result = await Send(services, new Uri(receiver.Address, "/hook"), [WebhookSecret.New()]);

        Assert.Equal((null, "The URL must use https."), (result.StatusCode, result.Error));
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        await using var receiver = await WebhookReceiver.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var services = Transport(new TestWebhookDns(), allowInsecureLocalUrls: true);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<WebhookTransport>()
            .SendAsync(new Uri(receiver.Address, "/hook"), MessageId, Timestamp, Body, [WebhookSecret.New()], cancel.Token));
    }

    private static ServiceProvider Transport(IWebhookDns dns, bool allowInsecureLocalUrls, TimeSpan? requestTimeout = null) =>
        new ServiceCollection()
            .AddSingleton(dns)
            .Configure<WebhooksOptions>(o =>
            {
                o.AllowInsecureLocalUrls = allowInsecureLocalUrls;
                o.RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10);
            })
            .AddWebhookTransport()
            .BuildServiceProvider();

    private static Task<WebhookAttemptResult> Send(ServiceProvider services, Uri url, IReadOnlyList<string> secrets) =>
        services.GetRequiredService<WebhookTransport>().SendAsync(url, MessageId, Timestamp, Body, secrets, CancellationToken.None);

    private static Task Answer(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
