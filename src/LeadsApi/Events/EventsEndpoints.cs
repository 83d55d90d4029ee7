using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsApi.Events;

/// <summary>The change feed: every event the caller hears, in transaction order, from a cursor that never skips one.</summary>
public static class EventsEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events", ReadFeed).WithName("listEvents").WithTags("Events")
            .RequireAuthorization(Policies.ReadLeads)
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key's roles do not allow this call"),
                new(ProblemCatalog.ValidationFailed, "naming in `errors` a parameter that is not valid (an `after` that is not a feed cursor included)"),
                new(ProblemCatalog.CursorExpired, "when `after` is older than the retention (30 days by default): sync the leads again and start a new cursor"),
                Failure.RateLimited,
                Failure.ServiceUnavailable)
            .WithSummary("Read the change feed")
            .WithDescription("""
                The events about the caller's leads, oldest first, the same messages webhooks deliver: a partner's users read the
                partner's, a sender the ones it hears (received, accepted, declined, expired, won, lost). Start without `after`,
                then always pass the `cursor` the last page gave (`nextLink` does): the feed never skips an event, even one whose
                transaction committed after a later one's. Poll `nextLink`; when `hasMore` is true, read it at once. Events are
                kept for 30 days by default.
                """);
        return app;
    }

    private static async Task<Ok<EventPage>> ReadFeed(
        [AsParameters] EventFeedParameters parameters, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(parameters.ToQuery(Caller.From(user), request.Query.Keys), cancellationToken));
}
