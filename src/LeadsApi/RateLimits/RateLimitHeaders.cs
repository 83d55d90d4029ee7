using System.Globalization;

namespace LeadsApi.RateLimits;

/// <summary>
/// The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-11 (May 2026), on every answer of a limited endpoint,
/// 2xx, 4xx and 429 alike: <c>RateLimit-Policy: "writes";q=100;w=5</c> (the bucket holds q tokens and an empty one fills
/// in w seconds) and <c>RateLimit: "writes";r=57;t=1</c> (r tokens are left now; more arrive within t seconds). The remaining
/// count is the caller's bucket's, read from the limiter when the answer starts. Runs before the limiter, so that a refused
/// request is classified once and its 429 carries the fields too.
/// </summary>
public sealed class RateLimitHeaders(RequestDelegate next, LeadsRateLimiter limiter)
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string LimitHeader = "RateLimit";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (limiter.Classify(context) is { } request)
        {
            context.Features.Set(request);
            // At the start of the answer, not now: the exception handler clears headers set earlier, and the count is the one after this request.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[PolicyHeader] = Policy(request);
                headers[LimitHeader] = Limit(request, limiter.Available(context));
                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    public static string Policy(RateLimitedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Create(CultureInfo.InvariantCulture, $"\"{request.Policy}\";q={request.Budget.TokenLimit};w={request.Budget.WindowSeconds}");
    }

    public static string Limit(RateLimitedRequest request, long remaining)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Create(CultureInfo.InvariantCulture, $"\"{request.Policy}\";r={Math.Max(0, remaining)};t={request.Budget.RefillSeconds}");
    }
}
