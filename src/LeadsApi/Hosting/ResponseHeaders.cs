using Microsoft.Net.Http.Headers;

namespace LeadsApi.Hosting;

/// <summary>A response header a client reads, as the contract describes it.</summary>
/// <param name="Name">The header's name.</param>
/// <param name="Description">What it tells the client.</param>
/// <param name="Seconds">The value is a whole number of seconds rather than text.</param>
/// <param name="Example">A value as the server writes it, for the contract.</param>
public sealed record Header(string Name, string Description, bool Seconds = false, string? Example = null)
{
    public static readonly Header ETag = new(HeaderNames.ETag,
        "The lead as you now read it: send it as If-None-Match for a 304 while that is still so, and as If-Match to change the lead only if nobody else did.");

    public static readonly Header Location = new(HeaderNames.Location,
        "The address of the lead (or, for a team member, where to delete it).");

    public static readonly Header RetryAfter = new(HeaderNames.RetryAfter, "How many seconds to wait before trying again.", Seconds: true);

    // draft-ietf-httpapi-ratelimit-headers-11: structured-field lists with one item, the policy the request spent (see RateLimitHeaders).
    public static readonly Header RateLimitPolicy = new(RateLimits.RateLimitHeaders.PolicyHeader,
        "The budget this request spends (draft-ietf-httpapi-ratelimit-headers-11): `\"reads\"` (GET, HEAD) or `\"writes\"` (every other method) "
        + "of your key, or `\"anonymous\"` for requests without valid credentials, per client address; `q` requests at once, and an empty "
        + "budget fills again in `w` seconds.",
        Example: "\"writes\";q=100;w=5");

    public static readonly Header RateLimit = new(RateLimits.RateLimitHeaders.LimitHeader,
        "What is left of that budget after this request (draft-ietf-httpapi-ratelimit-headers-11): `r` requests now; more arrive within `t` seconds. "
        + "At `r=0` the next request of this kind is refused with 429 `rate-limited` until then.",
        Example: "\"writes\";r=57;t=1");

    public static readonly Header WwwAuthenticate = new(HeaderNames.WWWAuthenticate,
        "`Bearer`: the API takes an API key or a sign-in token (JWT) as `Authorization: Bearer <api key or token>`; "
        + "a refused token adds `error=\"invalid_token\", error_description=\"...\"` (RFC 6750).");
}

/// <summary>Endpoint metadata: the answers with <paramref name="Status"/> carry <paramref name="Header"/>.</summary>
public sealed record ResponseHeader(int Status, Header Header);

public static class ResponseHeaders
{
    /// <summary>Declares, for the contract, headers the endpoint's answers with this status carry.</summary>
    public static TBuilder ProducesHeaders<TBuilder>(this TBuilder builder, int status, params Header[] headers)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(headers);
        return builder.WithMetadata([.. headers.Select(header => new ResponseHeader(status, header))]);
    }
}
