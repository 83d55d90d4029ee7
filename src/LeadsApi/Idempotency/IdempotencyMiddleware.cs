using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LeadsApi.Idempotency;

/// <summary>Endpoint metadata: a POST that changes state and takes an <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentEndpoint
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// Members of the answer (dotted paths: <c>secret</c>, <c>key.secret</c>) that are not kept: an API key's secret is
    /// stored nowhere, so a replay answers without it.
    /// </summary>
    public IReadOnlyList<string> KeptWithout { get; init; } = [];
}

public sealed class IdempotencyKeyReusedException()
    : Exception("This Idempotency-Key was used for another request (another method, path or body); use a new key for a new request.");

public sealed class IdempotencyKeyInUseException()
    : Exception("The first request with this Idempotency-Key is still running; retry after the seconds in Retry-After to get its answer.")
{
    /// <summary>The answer's Retry-After: the poll a waiting retry makes, in the client's hands.</summary>
    public const int RetryAfterSeconds = 1;
}

/// <summary>
/// Idempotent retries (draft-ietf-httpapi-idempotency-key-header): the first success of a request with an
/// <c>Idempotency-Key</c> is kept per caller and key, and the same request with the same key gets that answer again, byte for
/// byte, with <c>Idempotent-Replayed: true</c>, without running again. A retry that comes while the first runs waits for it
/// up to <see cref="IdempotencyOptions.InFlightWait"/>.
/// </summary>
/// <remarks>
/// Only a success (2xx) is kept. A problem (invalid input, a lead in another state, an outage) keeps nothing, so a retry
/// runs again: a request that failed changed nothing, and the retry gets the answer that holds then.
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options)
{
    private static readonly string[] KeptHeaders = [HeaderNames.ContentType, HeaderNames.Location, HeaderNames.ETag];
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is not { } endpoint
            || !context.Request.Headers.TryGetValue(IdempotentEndpoint.KeyHeader, out var values)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var key = Key(values);
        var caller = Caller.From(context.User);
        // A platform admin's key belongs to no partner or sender: its own user owns its keys.
        var owner = caller.PartnerId ?? caller.SenderId ?? caller.UserId;
        if (await RequestHashAsync(context.Request) is not { } hash)
        {
            await next(context); // a body over the limit: the endpoint refuses it (413), and nothing is kept
            return;
        }

        var store = context.RequestServices.GetRequiredService<IdempotencyStore>();

        var waited = Stopwatch.StartNew();
        while (true)
        {
            switch (await store.ClaimAsync(owner, caller.UserId, key, hash, context.RequestAborted))
            {
                case KeyClaim.Started:
                    await RunAsync(context, endpoint, store, owner, caller.UserId, key, hash);
                    return;
                case KeyClaim.Answered answered:
                    await ReplayAsync(context, answered.Record);
                    return;
                case KeyClaim.Reused:
                    throw new IdempotencyKeyReusedException();
                case KeyClaim.InFlight when waited.Elapsed >= options.Value.InFlightWait:
                    throw new IdempotencyKeyInUseException();
                case KeyClaim.InFlight:
                    await Task.Delay(PollInterval, context.RequestAborted);
                    break;
            }
        }
    }

    /// <summary>The key, as sent (a token) or as a structured-field string (quoted, as the draft writes it).</summary>
    private static string Key(Microsoft.Extensions.Primitives.StringValues values)
    {
        var sent = values.Count == 1 ? values[0] ?? "" : "";
        var key = (sent is ['"', .. var inner, '"'] ? inner : sent).Trim();
        var refused = values.Count != 1 ? "Send one Idempotency-Key."
            : key.Length == 0 ? "Not blank."
            : FieldLimits.IdempotencyKey.Refuse(key);
        return refused is null ? key : throw RequestValidationException.For(IdempotentEndpoint.KeyHeader, refused);
    }

    /// <summary>
    /// SHA-256 of the method, the path with its query, and the body (left readable for the endpoint); null for a body
    /// larger than the endpoint takes (its own limit, as the batch import declares one, or the server's).
    /// </summary>
    private static async Task<byte[]?> RequestHashAsync(HttpRequest request)
    {
        var limit = request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? FieldLimits.MaxBodyBytes;
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0 && (total += read) <= limit)
        {
            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return total <= limit ? hash.GetHashAndReset() : null;
    }

    private async Task RunAsync(HttpContext context, IdempotentEndpoint endpoint, IdempotencyStore store, Guid owner, Guid user, string key, byte[] hash)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            response.Body = original;
            await store.ReleaseAsync(owner, user, key, hash);
            throw;
        }

        response.Body = original;
        var body = buffer.ToArray();
        if (response.StatusCode is >= 200 and < 300)
        {
            var headers = KeptHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString());
            await store.CompleteAsync(owner, user, key, hash, response.StatusCode, JsonSerializer.Serialize(headers), Without(body, endpoint.KeptWithout));
        }
        else
        {
            await store.ReleaseAsync(owner, user, key, hash);
        }

        await original.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The JSON body without the members at <paramref name="paths"/>; the body as it is when there are none.</summary>
    private static byte[] Without(byte[] body, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0 || JsonNode.Parse(body) is not JsonObject root)
        {
            return body;
        }

        foreach (var path in paths)
        {
            var names = path.Split('.');
            var parent = names[..^1].Aggregate((JsonNode?)root, (node, name) => node is JsonObject o ? o[name] : null);
            (parent as JsonObject)?.Remove(names[^1]);
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        var response = context.Response;
        response.StatusCode = record.Status!.Value;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(record.ResponseHeaders ?? "{}") ?? [])
        {
            response.Headers[name] = value;
        }

        response.Headers[IdempotentEndpoint.ReplayedHeader] = "true";
        var body = record.ResponseBody ?? [];
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
