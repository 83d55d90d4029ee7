using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LeadsApi.Hosting;

/// <summary>The <c>Cors</c> configuration section: which browser apps, served from other origins, may call the API.</summary>
public sealed class LeadsCorsOptions
{
    public const string Section = "Cors";

    /// <summary>
    /// The origins allowed, comma-separated (<c>https://app.example.com,http://localhost:5173</c>); none by default,
    /// and then the API sends no CORS headers at all.
    /// </summary>
    public string AllowedOrigins { get; set; } = "";

    /// <summary>How long a browser may cache a preflight's answer (browsers cap it: Chromium at 2 hours).</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> Origins =>
        [.. AllowedOrigins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem()
    {
        foreach (var origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/')
                || origin.EndsWith('/')
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return $"Cors:AllowedOrigins: '{origin}' is not an origin: write scheme://host[:port], without a path or a trailing slash (no wildcards).";
            }
        }

        return PreflightMaxAge < TimeSpan.Zero || PreflightMaxAge > TimeSpan.FromDays(1)
            ? "Cors:PreflightMaxAge must be between 00:00:00 and 1.00:00:00."
            : null;
    }
}

/// <summary>
/// CORS for browser apps on the origins <see cref="LeadsCorsOptions"/> names: preflights are answered for the API's
/// methods and request headers before authentication runs (a preflight carries no credentials), and the response
/// headers a client reads are exposed. Credentials are bearer tokens in <c>Authorization</c>, never cookies, so
/// credentialed requests (<c>Access-Control-Allow-Credentials</c>) are not allowed.
/// </summary>
public static class CorsExtensions
{
    public static readonly IReadOnlyList<string> Methods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static readonly IReadOnlyList<string> RequestHeaders =
    [
        HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.IfMatch, HeaderNames.IfNoneMatch,
        "Idempotency-Key", LoggingExtensions.CorrelationHeader, HeaderNames.TraceParent, HeaderNames.TraceState,
    ];

    public static readonly IReadOnlyList<string> ExposedHeaders =
    [
        HeaderNames.ETag, HeaderNames.Location, HeaderNames.RetryAfter, LoggingExtensions.CorrelationHeader, HeaderNames.WWWAuthenticate,
        RateLimits.RateLimitHeaders.PolicyHeader, RateLimits.RateLimitHeaders.LimitHeader,
    ];

    public static IHostApplicationBuilder AddLeadsCors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LeadsCorsOptions>()
            .Bind(builder.Configuration.GetSection(LeadsCorsOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LeadsCorsOptions>, Validator>();
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<LeadsCorsOptions>>((cors, settings) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. settings.Value.Origins])
                .WithMethods([.. Methods])
                .WithHeaders([.. RequestHeaders])
                .WithExposedHeaders([.. ExposedHeaders])
                .SetPreflightMaxAge(settings.Value.PreflightMaxAge)));
        return builder;
    }

    /// <summary>Before authentication, so that a preflight is answered without credentials; nothing at all when no origin is allowed.</summary>
    public static WebApplication UseLeadsCors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<LeadsCorsOptions>>().Value.Origins.Count > 0)
        {
            app.UseCors();
        }

        return app;
    }

    private sealed class Validator : IValidateOptions<LeadsCorsOptions>
    {
        public ValidateOptionsResult Validate(string? name, LeadsCorsOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
