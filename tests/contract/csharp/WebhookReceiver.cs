using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadsApi.ClientScenario;

/// <summary>One POST the receiver got: its headers, and its body as the bytes arrived (the signature covers exactly those).</summary>
internal sealed class ReceivedMessage(IReadOnlyDictionary<string, string> headers, byte[] body)
{
    public byte[] Body { get; } = body;

    /// <summary>The body, parsed.</summary>
    public JsonElement Json { get; } = JsonDocument.Parse(body).RootElement;

    public string Id => Json.GetProperty("id").GetString() ?? "";

    public string Type => Json.GetProperty("type").GetString() ?? "";

    public string Header(string name)
    {
        var found = headers.TryGetValue(name, out var value) && value.Length > 0;
        Check.That(found, $"the delivery has no {name} header: {string.Join(", ", headers.Keys)}");
        return value!;
    }

    /// <summary>
    /// The Standard Webhooks check, written out rather than taken from a library: the base64 of HMAC-SHA256 over
    /// "&lt;webhook-id&gt;.&lt;webhook-timestamp&gt;.&lt;body&gt;", keyed with the base64-decoded part of the secret after
    /// "whsec_". webhook-signature holds one "v1,&lt;signature&gt;" per secret, space-separated (two while a rotation overlaps).
    /// </summary>
    public bool SignedWith(string secret)
    {
        Check.That(secret.StartsWith("whsec_", StringComparison.Ordinal), $"a secret that is not whsec_...: {secret}");
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{Header("webhook-id")}.{Header("webhook-timestamp")}."), .. Body];
        var expected = HMACSHA256.HashData(key, signed);
        return Header("webhook-signature").Split(' ').Any(entry =>
        {
            var parts = entry.Split(',', 2);
            var actual = new byte[expected.Length + 1];
            return parts is ["v1", var signature]
                && Convert.TryFromBase64String(signature, actual, out var length) && length == expected.Length
                && CryptographicOperations.FixedTimeEquals(actual.AsSpan(0, length), expected);
        });
    }

    /// <summary>The checks every receiver makes before it trusts a body: the signature, a recent timestamp, webhook-id the body's id.</summary>
    public void CheckSigned(string secret)
    {
        Check.That(SignedWith(secret), $"no signature verifies with the secret: {Header("webhook-signature")}");
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header("webhook-timestamp"), CultureInfo.InvariantCulture));
        var age = (DateTimeOffset.UtcNow - sent).Duration();
        Check.That(age < TimeSpan.FromMinutes(5), $"webhook-timestamp is {age} away from now (receivers refuse more than 5 minutes)");
        Check.Same(Header("webhook-id"), Id, "webhook-id (the body's id)");
        Check.That(Header("content-type").StartsWith("application/json", StringComparison.Ordinal), $"Content-Type {Header("content-type")}");
    }
}

/// <summary>
/// A webhook receiver on 127.0.0.1, on HttpListener so that it needs no package: keeps every POST and answers 204,
/// as a receiver does once it has stored the message.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();

    public IReadOnlyList<ReceivedMessage> Received => [.. _received];

    /// <summary>Listens on a free port; returns the URL to subscribe.</summary>
    public string Start()
    {
        // HttpListener takes no port 0: ask the system for a free port, then listen on it.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var prefix = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(prefix);
        _listener.Start();
        _ = Task.Run(ServeAsync);
        return prefix + "leads";
    }

    /// <summary>The first message that matches, waiting for it up to 20 s (deliveries are asynchronous).</summary>
    public async Task<ReceivedMessage> WaitForAsync(string what, Func<ReceivedMessage, bool> match)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Check.That(DateTimeOffset.UtcNow < deadline, $"no {what} reached the receiver within 20 s; it got {string.Join(", ", _received.Select(r => r.Type))}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
            {
                headers[name] = context.Request.Headers[name] ?? "";
            }

            try
            {
                _received.Enqueue(new ReceivedMessage(headers, body.ToArray()));
                context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            }
            catch (JsonException)
            {
                context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
            }

            context.Response.Close();
        }
    }
}
