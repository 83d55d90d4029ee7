using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace LeadsApi.Webhooks;

/// <summary>One delivery attempt: the receiver's status code if it answered, how long it took, and why it failed if it did.</summary>
public sealed record WebhookAttemptResult(int? StatusCode, TimeSpan Latency, string? Error)
{
    /// <summary>The receiver answered 2xx; any other answer, a redirect included, is a failed attempt.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Sends one signed delivery to a receiver over the <see cref="HttpClientName"/> client, which connects only to
/// addresses the <see cref="WebhookUrlGuard"/> allows and never follows redirects.
/// </summary>
public sealed class WebhookTransport(IHttpClientFactory clients, WebhookUrlGuard guard, IOptions<WebhooksOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";

    private const string UserAgent = "LeadsApi-Webhooks/1";

    // The answer's body means nothing to a delivery; reading a little lets a small one keep the connection.
    private const int MaxBodyBytesRead = 4 * 1024;

    /// <summary>
    /// POSTs <paramref name="body"/> as JSON with the Standard Webhooks headers, signed with every one of
    /// <paramref name="secrets"/>. Whatever happens to the attempt (no answer within
    /// <see cref="WebhooksOptions.RequestTimeout"/>, no connection, a blocked address, a non-2xx answer) comes
    /// back as a result; only the caller's own cancellation throws.
    /// </summary>
    public async Task<WebhookAttemptResult> SendAsync(
        Uri url, string messageId, DateTimeOffset timestamp, string body, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        if (guard.CheckForm(url) is { } refusal)
        {
            return new(null, TimeSpan.Zero, refusal);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(messageId, timestamp, body, secrets));
        request.Headers.UserAgent.ParseAdd(UserAgent);

        // One deadline for the whole attempt: HttpClient.Timeout stops at the headers, a slow body would not.
        var timeout = options.Value.RequestTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            await ReadSomeOfBodyAsync(response, attempt.Token, cancellationToken);
            var status = (int)response.StatusCode;
            return new(status, time.GetElapsedTime(started), response.IsSuccessStatusCode ? null : $"The receiver answered {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, time.GetElapsedTime(started), string.Create(CultureInfo.InvariantCulture, $"The receiver did not answer within {timeout.TotalSeconds:0.###} s."));
        }
        catch (HttpRequestException e)
        {
            return new(null, time.GetElapsedTime(started), Describe(e));
        }
    }

    // The status code has arrived and is the whole answer: a body that breaks off or outlasts the deadline changes nothing.
    private static async Task ReadSomeOfBodyAsync(HttpResponseMessage response, CancellationToken attempt, CancellationToken caller)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(attempt);
            var buffer = new byte[MaxBodyBytesRead];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), attempt)) > 0)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !caller.IsCancellationRequested))
        {
        }
    }

    private static string Describe(HttpRequestException failure)
    {
        var cause = failure.InnerException;
        while (cause is not null and not WebhookAddressBlockedException and not SocketException)
        {
            cause = cause.InnerException;
        }

        return (cause, failure.HttpRequestError) switch
        {
            (WebhookAddressBlockedException blocked, _) => blocked.Message,
            (SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }, _) =>
                "The host name does not resolve.",
            (SocketException socket, _) => $"Could not connect to the receiver ({socket.SocketErrorCode}).",
            (_, HttpRequestError.NameResolutionError) => "The host name does not resolve.",
            (_, HttpRequestError.ConnectionError) => "Could not connect to the receiver.",
            (_, HttpRequestError.SecureConnectionError) => "The TLS handshake with the receiver failed.",
            (_, HttpRequestError.ResponseEnded) => "The receiver closed the connection before answering.",
            (_, HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError) => "The receiver's answer is not valid HTTP.",
            _ => "The request to the receiver failed.",
        };
    }
}
