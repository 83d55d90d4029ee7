using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsApi.Partners;

/// <summary>The calling partner's business profile: what it does, for whom, where, and how many new leads it takes.</summary>
public static class PartnerProfileEndpoints
{
    public static IEndpointRouteBuilder MapPartnerProfile(this IEndpointRouteBuilder app)
    {
        var profile = app.MapGroup("/v1/partners/me/profile")
            .WithTags("Partners")
            .RequireAuthorization(Policies.ReadProfile)
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key is not a partner user's (a sender's or the platform's key)"),
                Failure.RateLimited,
                Failure.ServiceUnavailable);

        profile.MapGet("/", GetProfile).WithName("getPartnerProfile")
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .WithSummary("Read your business profile")
            .WithDescription("""
                The profile matching reads: expertise keywords, industries, company sizes, business models, lead types,
                languages, locations with their notification contacts, weekly capacity and pause. Every user of the partner may
                read it. A partner that never saved one reads the empty profile, version 0 (nothing said, so nothing excluded).
                `paused` is true while `pause.until` is ahead. The `ETag` header (and `etag`) is the tag to send as `If-Match`.
                """);
        profile.MapPut("/", UpdateProfile).WithName("updatePartnerProfile").ReadsJsonBody()
            .RequireAuthorization(Policies.ManageProfile)
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(
                new(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong"),
                new(ProblemCatalog.Forbidden, "for a key that is not a partner admin's"),
                new(ProblemCatalog.ConcurrentUpdate, "when another change won a race"),
                new(ProblemCatalog.PreconditionFailed, "when `If-Match` is not the profile's current ETag (with `currentETag`)"))
            .WithSummary("Replace your business profile (partner admins)")
            .WithDescription("""
                Replaces the whole profile: a member left out is cleared (read it, change it, put it back). Keywords and
                industries are stored trimmed, lower case, with single spaces and once each; language tags in their conventional
                case (`PT-pt` is `pt-PT`); sizes, models and lead types once each, in the contract's order. Send the ETag you read
                as `If-Match` to change it only if nobody changed it since (else 412 with `currentETag`); without `If-Match` the
                last write wins, as for leads. A change raises `version`, adds an entry to the profile's timeline and emits
                `partner.profileUpdated`; a PUT that changes nothing answers the profile as it is and emits nothing.
                """);
        profile.MapGet("/timeline", GetProfileTimeline).WithName("getPartnerProfileTimeline")
            .WithSummary("Read your business profile's changes")
            .WithDescription("""
                Every change of the profile, oldest first: who, when, the version it made, and each member it changed with its
                value before and after as JSON text.
                """);
        return app;
    }

    private static async Task<Ok<PartnerProfileResponse>> GetProfile(ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new GetPartnerProfile(Caller.From(user)), cancellationToken));

    private static async Task<Ok<PartnerProfileResponse>> UpdateProfile(
        [JsonBody] UpdateProfileRequest body, [IfMatch(Of = "profile")] string? ifMatch, ClaimsPrincipal user, IMediator mediator, HttpResponse response,
        CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new UpdatePartnerProfile(Caller.From(user), body, ifMatch), cancellationToken));

    private static async Task<Ok<ProfileTimelineResponse>> GetProfileTimeline(ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetProfileTimeline(Caller.From(user)), cancellationToken));

    private static Ok<PartnerProfileResponse> WithETag(HttpResponse response, PartnerProfileResponse profile)
    {
        response.Headers.ETag = profile.ETag;
        return TypedResults.Ok(profile);
    }
}
