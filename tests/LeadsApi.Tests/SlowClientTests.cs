using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LeadsApi.Limits;
using LeadsApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsApi.Tests;

/// <summary>
/// Kestrel on a real socket with the limits against slow clients tightened to what a test can wait for: headers within
/// a second, a body at 1 KiB/s after a two-second grace (Kestrel checks both on its one-second heartbeat). The rest of
/// Kestrel:Limits is appsettings.json's.
/// </summary>
public sealed class SlowClientApiFactory : KestrelLeadsApiFactory
{
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BodyGrace = TimeSpan.FromSeconds(2);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kestrel:Limits:RequestHeadersTimeout"] = HeadersTimeout.ToString(),
        ["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = "1024",
        ["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = BodyGrace.ToString(),
    };
}

public sealed class SlowClientTests(SlowClientApiFactory api) : IClassFixture<SlowClientApiFactory>
{
    [Fact]
    public async Task HeadersTrickledSlowerThanTheTimeout_AreCutOff()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(api.Address.Host, api.Address.Port);
        var stream = socket.GetStream();
        var started = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: localhost\r\n"));

        // One header byte every 200 ms would take 12 s; the server stops listening long before.
        var cutOff = false;
        try
        {
            foreach (var b in Encoding.ASCII.GetBytes("X-Slow: " + new string('a', 50) + "\r\n\r\n"))
            {
                await stream.WriteAsync(new[] { b });
                await Task.Delay(200);
                if (socket.Client.Poll(0, SelectMode.SelectRead))
                {
                    cutOff = true; // readable: an answer (408) or the end of the stream
                    break;
                }
            }
        }
        catch (IOException)
        {
            cutOff = true;
        }

        Assert.True(cutOff, "The server waited for headers trickled over 12 s.");
        Assert.InRange(started.Elapsed, SlowClientApiFactory.HeadersTimeout, TimeSpan.FromSeconds(8));
        var answer = await ReadToEndAsync(stream);
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
    }

    [Fact]
    public async Task BodyTrickledBelowTheMinimumRate_IsRefusedAndChangesNothing()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Api.NewLeadBody(partner.PartnerId)));
        using var socket = new TcpClient();
        await socket.ConnectAsync(api.Address.Host, api.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/leads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {sender.ApiKey}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        var started = Stopwatch.StartNew();

        // Ten bytes a second, far below 1 KiB/s: the whole body would take over a minute.
        var answered = false;
        try
        {
            foreach (var b in body)
            {
                await stream.WriteAsync(new[] { b });
                await Task.Delay(100);
                if (socket.Client.Poll(0, SelectMode.SelectRead))
                {
                    answered = true;
                    break;
                }
            }
        }
        catch (IOException)
        {
            answered = true;
        }

        Assert.True(answered, "The server read a body trickled at 10 bytes a second to its end.");
        Assert.InRange(started.Elapsed, SlowClientApiFactory.BodyGrace, TimeSpan.FromSeconds(15));
        var answer = await ReadToEndAsync(stream);
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request-timeout\"", answer, StringComparison.Ordinal);
        Assert.Equal(0, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    [Fact]
    public void TheServersLimits_AreAppSettingsKestrelLimits_AndTheBodyLimitIsFieldLimits()
    {
        var limits = api.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(
            LeadsApi.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory)!, "src", "LeadsApi", "appsettings.json")));
        var configured = settings.RootElement.GetProperty("Kestrel").GetProperty("Limits");

        Assert.Equal(FieldLimits.MaxBodyBytes, limits.MaxRequestBodySize);
        Assert.False(configured.TryGetProperty("MaxRequestBodySize", out _));
        Assert.Equal(configured.GetProperty("MaxConcurrentConnections").GetInt64(), limits.MaxConcurrentConnections);
        Assert.Equal(configured.GetProperty("MaxRequestLineSize").GetInt32(), limits.MaxRequestLineSize);
        Assert.Equal(configured.GetProperty("MaxRequestHeadersTotalSize").GetInt32(), limits.MaxRequestHeadersTotalSize);
        Assert.Equal(configured.GetProperty("MaxRequestHeaderCount").GetInt32(), limits.MaxRequestHeaderCount);
        Assert.Equal(TimeSpan.Parse(configured.GetProperty("KeepAliveTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture), limits.KeepAliveTimeout);
        Assert.Equal(configured.GetProperty("MinResponseDataRate").GetProperty("BytesPerSecond").GetDouble(), limits.MinResponseDataRate!.BytesPerSecond);
        Assert.Equal(configured.GetProperty("MinRequestBodyDataRate").GetProperty("BytesPerSecond").GetDouble(), limits.MinRequestBodyDataRate!.BytesPerSecond);
        var http2 = configured.GetProperty("Http2");
        Assert.Equal(http2.GetProperty("MaxStreamsPerConnection").GetInt32(), limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(http2.GetProperty("MaxRequestHeaderFieldSize").GetInt32(), limits.Http2.MaxRequestHeaderFieldSize);
        Assert.Equal(http2.GetProperty("InitialStreamWindowSize").GetInt32(), limits.Http2.InitialStreamWindowSize);
        // This factory's own, tighter settings win over appsettings.json.
        Assert.Equal(SlowClientApiFactory.HeadersTimeout, limits.RequestHeadersTimeout);
        Assert.Equal(SlowClientApiFactory.BodyGrace, limits.MinRequestBodyDataRate.GracePeriod);
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
