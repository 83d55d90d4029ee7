using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadsApi.Partners;

/// <summary>A partner's scorecard: its own, for every user of the partner; any partner's, for the platform's admins.</summary>
public static class ScorecardEndpoints
{
    private const string Description = """
        How the partner answered the leads received in the `window` days before now (`current`), and the same figures for the
        window of the same length before it (`previous`, for the trend): counts per status and type, the median and p90 time
        from `receivedAt` to accept or decline, the shares answered within 24 and 72 hours, the acceptance, expiry and win
        rates, the decline and lost reasons, and the average estimated and final deal values per currency. Statuses are as
        every reader sees them now: a received lead past `respondBy` counts as expired at once. A partner without leads gets
        zero counts and null rates, medians and averages.
        """;

    private static readonly Failure InvalidWindow = new(ProblemCatalog.ValidationFailed, "naming `window` when it is not `Nd` with N from 1 to 365 (or any other parameter is sent)");

    public static IEndpointRouteBuilder MapScorecards(this IEndpointRouteBuilder app)
    {
        var partners = app.MapGroup("/v1/partners")
            .WithTags("Scorecards")
            .RequireCanonicalIds()
            .Fails(Failure.Unauthenticated, Failure.RateLimited, Failure.ServiceUnavailable);

        partners.MapGet("/me/scorecard", GetOwnScorecard).WithName("getOwnScorecard")
            .RequireAuthorization(Policies.ReadOwnScorecard)
            .Fails(InvalidWindow, new(ProblemCatalog.Forbidden, "when the key is not a partner user's (a sender's or a platform admin's)"))
            .WithSummary("Read your scorecard")
            .WithDescription(Description);
        partners.MapGet("/{partnerId}/scorecard", GetPartnerScorecard).WithName("getPartnerScorecard")
            .RequireAuthorization(Policies.ReadAnyScorecard)
            .Fails(
                InvalidWindow with { When = "naming `partnerId` when it is not a GUID, or `window` when it is not `Nd` with N from 1 to 365" },
                new(ProblemCatalog.Forbidden, "when the key is not a platform admin's (a partner reads its own at `/v1/partners/me/scorecard`)"),
                new(ProblemCatalog.PartnerNotFound, "when no partner has this id"))
            .WithSummary("Read a partner's scorecard (platform admins)")
            .WithDescription(Description);
        return app;
    }

    private static async Task<Ok<ScorecardResponse>> GetOwnScorecard(
        [AsParameters] ScorecardParameters parameters, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        caller.EnsurePartnerUser();
        return TypedResults.Ok(await mediator.Send(new GetScorecard(caller.PartnerId!.Value, parameters.Days(request.Query.Keys)), cancellationToken));
    }

    private static async Task<Ok<ScorecardResponse>> GetPartnerScorecard(
        PathId partnerId, [AsParameters] ScorecardParameters parameters, HttpRequest request,
        IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetScorecard(partnerId, parameters.Days(request.Query.Keys)), cancellationToken));
}

/// <summary>The query string of a scorecard.</summary>
/// <param name="Window">The days before now whose leads the scorecard counts, e.g. 30d; the previous window has the same length.</param>
public sealed record ScorecardParameters([FromQuery(Name = "window"), Limit(nameof(FieldLimits.ScorecardWindow))] string? Window)
{
    private static readonly string[] Names = ["window"];

    /// <summary>The window's days; throws <see cref="RequestValidationException"/> naming `window`, or a parameter the call does not have.</summary>
    public int Days(IEnumerable<string> sent)
    {
        var errors = new ValidationErrors();
        var days = FieldLimits.ScorecardWindow.Days(Window);
        if (days is null)
        {
            errors.Add("window", FieldLimits.ScorecardWindow.Rule);
        }

        errors.Unknown(sent, Names);
        return errors.IsEmpty ? days!.Value : throw new RequestValidationException(errors.ToDictionary());
    }
}
