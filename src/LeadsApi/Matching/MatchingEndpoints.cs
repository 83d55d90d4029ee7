using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadsApi.Matching;

/// <summary>Explainable matching: which partners suit a customer request, and why (docs/matching.md).</summary>
public static class MatchingEndpoints
{
    public static IHostApplicationBuilder AddLeadsMatching(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MatchingOptions>().Bind(builder.Configuration.GetSection(MatchingOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MatchingOptions>, MatchingOptionsValidator>();
        builder.Services.AddSingleton<CandidateSource>();
        builder.AddWorker<RerouteWorker>($"{MatchingOptions.Section}:{nameof(MatchingOptions.RerouteEnabled)}");
        return builder;
    }

    public static IEndpointRouteBuilder MapMatching(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/matches", FindMatches).WithName("findMatches").WithTags("Matching")
            .RequireAuthorization(Policies.FindMatches)
            .ReadsJsonBody()
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong (`leadType` and `country` are required)"),
                new(ProblemCatalog.Forbidden, "when the key is not a sender's or a platform admin's"),
                Failure.RateLimited,
                Failure.ServiceUnavailable)
            .WithSummary("Rank the partners for a customer request (senders, platform admins)")
            .WithDescription("""
                Scores the partners whose business profile has a location in the customer's `country` (at most 100 of them, those
                sharing the most words with the request first), and answers them best first, each with its score in [0, 1] and the five components that made it
                (profileFit, proximity, responsiveness, outcomeFit, capacity), each with its value, weight and a sentence. Partners
                that cannot take the request whatever their score (paused, at capacity, not taking the lead type, or having
                declined or let expire a lead of the same customer in the last 90 days) are listed apart with their reasons. Equal
                scores go to the partner with the fewest leads in the last 7 days. The same request at the same moment answers the
                same ranking; nothing is stored. The formula, its constants and a worked example: docs/matching.md.
                """);
        return app;
    }

    private static async Task<Ok<MatchesResponse>> FindMatches([JsonBody] FindMatchesRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new FindMatches(body), cancellationToken));
}
