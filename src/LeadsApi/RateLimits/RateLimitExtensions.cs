using System.Globalization;
using System.Threading.RateLimiting;
using LeadsApi.Identity;
using LeadsApi.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadsApi.RateLimits;

/// <summary>
/// Per-credential rate limits with ASP.NET Core's limiter: a token bucket per API key (or signed-in user) for reads and
/// another for writes, one per client address for requests without valid credentials. A request over its budget is
/// answered 429 <c>rate-limited</c> with <c>Retry-After</c> before anything runs; every answer of a limited endpoint
/// carries the <c>RateLimit-Policy</c> and <c>RateLimit</c> headers (<see cref="RateLimitHeaders"/>).
/// </summary>
public static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddLeadsRateLimits(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, Validator>();
        builder.Services.AddSingleton<LeadsRateLimiter>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<LeadsRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter.Limiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>
    /// After authentication, whose caller is the partition, and before authorization, so that a 401 or 403 spends a token
    /// and carries the headers like any other answer. Nothing at all when the limits are off.
    /// </summary>
    public static WebApplication UseLeadsRateLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseMiddleware<RateLimitHeaders>();
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>Nothing ran: the problem, and when a token will be there (the lease knows, from the bucket's refill).</summary>
    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var request = context.Features.Get<RateLimitedRequest>()
            ?? throw new InvalidOperationException("A refused request was classified by RateLimitHeaders first.");
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : request.Budget.ReplenishmentPeriod;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var whose = request.Policy == RateLimitedRequest.AnonymousPolicy
            ? "Requests without a valid API key or token from your address have"
            : "Your key (or sign-in) has";
        var detail = FormattableString.Invariant(
            $"{whose} spent the '{request.Policy}' budget: {request.Budget.TokenLimit} requests at once, then {request.Budget.PerSecond:0.##} a second. Retry after {seconds} s; nothing was changed.");
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ProblemFactory.Create(ProblemCatalog.RateLimited, detail),
        });
    }

    private sealed class Validator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}

/// <summary>The one partitioned limiter: the middleware acquires from it, <see cref="RateLimitHeaders"/> reads what is left.</summary>
public sealed class LeadsRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly RateLimitOptions _options = options.Value;

    public PartitionedRateLimiter<HttpContext> Limiter { get; } = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        context.Features.Get<RateLimitedRequest>() is { } request
            ? RateLimitPartition.GetTokenBucketLimiter(request.PartitionKey, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = request.Budget.TokenLimit,
                TokensPerPeriod = request.Budget.TokensPerPeriod,
                ReplenishmentPeriod = request.Budget.ReplenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(""));

    /// <summary>The tokens left in the bucket of the request's caller and kind, now.</summary>
    public long Available(HttpContext context) => Limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0;

    /// <summary>Which budget a request spends, or null for an endpoint that is not limited (<c>.DisableRateLimiting()</c>).</summary>
    public RateLimitedRequest? Classify(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            return null;
        }

        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(Caller.UserIdClaim)?.Value is { Length: > 0 } user)
        {
            var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            return read
                ? new RateLimitedRequest(RateLimitedRequest.ReadsPolicy, _options.Reads, $"reads:{user}")
                : new RateLimitedRequest(RateLimitedRequest.WritesPolicy, _options.Writes, $"writes:{user}");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return new RateLimitedRequest(RateLimitedRequest.AnonymousPolicy, _options.Anonymous, $"anonymous:{address}");
    }

    public void Dispose() => Limiter.Dispose();
}

/// <summary>The budget a request spends: the policy's name, its bucket's settings, and whose bucket (kind and caller).</summary>
public sealed record RateLimitedRequest(string Policy, TokenBudget Budget, string PartitionKey)
{
    public const string ReadsPolicy = "reads";
    public const string WritesPolicy = "writes";
    public const string AnonymousPolicy = "anonymous";
}
