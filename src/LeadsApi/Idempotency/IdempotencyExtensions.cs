using LeadsApi.Hosting;
using LeadsApi.Problems;

namespace LeadsApi.Idempotency;

public static class IdempotencyExtensions
{
    public static IHostApplicationBuilder AddLeadsIdempotency(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IdempotencyOptions>()
            .Bind(builder.Configuration.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.IsValid(), "Idempotency: Retention and Lease positive, InFlightWait at least 0 and shorter than Lease, PurgeInterval up to 1 day.")
            .ValidateOnStart();
        builder.Services.AddScoped<IdempotencyStore>();
        return builder.AddWorker<IdempotencyPurge>($"{IdempotencyOptions.Section}:{nameof(IdempotencyOptions.PurgeEnabled)}");
    }

    /// <summary>After authentication and authorization: a key belongs to its caller, and a refused call keeps nothing.</summary>
    public static IApplicationBuilder UseLeadsIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>
    /// The endpoint takes an optional <c>Idempotency-Key</c> (IdempotencyMiddleware); the contract declares it. The members
    /// of the answer named in <paramref name="keptWithout"/> (a secret shown once) are not kept, so a replay lacks them.
    /// </summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder endpoint, params string[] keptWithout) =>
        endpoint.WithMetadata(new IdempotentEndpoint { KeptWithout = keptWithout }).Fails(
            new Failure(ProblemCatalog.IdempotencyKeyReused, "when the `Idempotency-Key` was used for another request (another method, path or body)"),
            new Failure(ProblemCatalog.IdempotencyKeyInUse,
                "when the first request with this `Idempotency-Key` is still running; retry after the seconds in `Retry-After`", Header.RetryAfter));
}
