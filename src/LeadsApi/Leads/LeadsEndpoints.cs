using LeadsApi.Idempotency;
using System.Security.Claims;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using LeadsApi.Hosting;

namespace LeadsApi.Leads;

/// <summary>
/// The HTTP surface of leads. Each endpoint turns the request into one mediator message; rule
/// violations come back as exceptions that <see cref="Problems.LeadsExceptionHandler"/> answers.
/// </summary>
public static class LeadsEndpoints
{
    private const string MergePatchJson = "application/merge-patch+json";

    private static readonly Failure InvalidId = new(ProblemCatalog.ValidationFailed, "when the id is not a GUID");
    private static readonly Failure LeadNotFound = new(ProblemCatalog.LeadNotFound, "when no lead with this id is visible to the key");
    private static readonly Failure NotReceived = new(ProblemCatalog.InvalidTransition, "when the lead is not received (with `currentStatus` and `allowedActions`)");
    private static readonly Failure NotAccepted = new(ProblemCatalog.InvalidTransition, "when the lead is not accepted (with `currentStatus` and `allowedActions`)");
    private static readonly Failure Expired = new(ProblemCatalog.LeadExpired, "when `respondBy` has passed (with `currentStatus` and `allowedActions`)");

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/v1/leads")
            .WithTags("Leads")
            .RequireAuthorization(Policies.ReadLeads)
            .RequireCanonicalIds()
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key's roles do not allow this call"),
                Failure.RateLimited,
                Failure.ServiceUnavailable);

        leads.MapPost("/", CreateLead).WithName("createLead").RequireAuthorization(Policies.SendLeads).Idempotent()
            .ProducesHeaders(StatusCodes.Status201Created, Header.Location, Header.ETag)
            .ProducesHeaders(StatusCodes.Status200OK, Header.Location, Header.ETag)
            .Fails(
                new(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong (an unknown `partnerId` included; `partnerId` and `routing` both or neither; `customer.country` missing with `routing`)"),
                new(ProblemCatalog.NoMatchingPartner, "with `routing`, when no partner can take the customer's request now; nothing was created"),
                new(ProblemCatalog.Forbidden, "when the key is not a sender's"))
            .ReadsJsonBody()
            .WithSummary("Hand a lead to a partner, or to the best match (senders)")
            .WithDescription("""
                Creates a received lead for the partner named in the body; it must be answered before `respondBy` (14 days by default).
                Answers 201 with the lead as its sender sees it (`SenderLeadResponse`) and its address in `Location`. Sending the same
                `externalId` again returns the lead the first call created, as it is now, with 200, so a retry never creates a
                duplicate. Instead of a `partnerId`, `routing` (`"mode": "bestMatch"`) lets the service hand the lead to the partner
                that ranks first for the customer's request, as `POST /v1/matches` ranks them; the lead then carries `match` (the
                partner's score, rank and components, which the partner reads too) and `routing`. With `"reroute": true`, a decline
                (but not as `duplicate`) or an expiry hands the same request on to the next best partner not yet asked, as a new lead
                (`nextLeadId` here, `previousLeadId` there, and `lead.rerouted` for you), at most `maxHops` times; when no partner is
                left, `routing.end` is `noPartnerLeft` and you hear `lead.routingEnded`. docs/matching.md has the formula.
                """);
        leads.MapPost("/batch", ImportLeads).WithName("importLeads").RequireAuthorization(Policies.SendLeads).Idempotent()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Limits.FieldLimits.MaxBatchBodyBytes))
            .ReadsJsonBody()
            .Fails(
                new(ProblemCatalog.ValidationFailed,
                    "when the body is not `{ \"leads\": [ ... ] }` with 1 to 100 leads (naming `leads`, or a member other than `leads`); a lead that is not valid fails alone, in its result"),
                Failure.BatchTooLarge,
                new(ProblemCatalog.Forbidden, "when the key is not a sender's"))
            .WithSummary("Hand up to 100 leads to partners in one call (senders)")
            .WithDescription("""
                Creates each lead of `leads` as `POST /v1/leads` would, one after the other, and answers 200 with one result per
                lead, in the order sent (`results[i]` is about `leads[i]`). Each result's `outcome` says what became of it:
                `created` (`status` 201, with the lead and its `location`), `replayed` (`status` 200: a lead with this `externalId`
                was sent before, in an earlier call or earlier in this batch; with that lead as it is now) or `failed` (`status`
                400, 500 or 503, with the `problem` `POST /v1/leads` would have answered: its `errors` name the fields as that call
                does, its `instance` names the lead, `/v1/leads/batch#/leads/2`). Each lead is its own transaction: one that fails
                stores nothing and does not stop the others. Only a body that is not a batch at all (not JSON, no `leads` list,
                more than 100 leads, over 1 MiB) is refused as a whole, and then nothing is created. Send an `externalId` with
                each lead and a retry of the batch creates nothing twice.
                """);
        leads.MapGet("/", ListLeads).WithName("listLeads")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each parameter that is not valid (a cursor from another sort order included)"))
            .WithSummary("List leads")
            .WithDescription("""
                The leads the key may see, newest first unless `sort` says otherwise, one page at a time: follow `nextLink` until it
                is absent. A partner's users get the partner's leads (`LeadPage`); a sender gets the leads it sent as it sees them
                (`SenderLeadPage`: no deal, team, final value, outcome notes or stars), and cannot sort by `estimatedValue`, the
                partner's deal value. A received lead past `respondBy` is listed as expired at once. `sort=updatedAt` is the delta
                sync: the changes in the order they were committed, never one skipped while you page, and on the last page a
                `deltaLink` to keep and read next time for what changed since (an expiry counts as a change when the service
                writes it down, within a minute of `respondBy`).
                """);
        leads.MapGet("/summary", GetLeadSummary).WithName("getLeadSummary")
            .WithSummary("Count leads per view and stage")
            .WithDescription("""
                The counts behind the Marketplace, Qualified and Favorites tabs, per stage (received, accepted, archived); expired
                leads count as archived at once. A sender's counts are of the leads it sent, and its favorites are always zero: stars
                belong to the partner's users.
                """);
        leads.MapGet("/{id}", GetLead).WithName("getLead").ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Produces(StatusCodes.Status304NotModified).ProducesHeaders(StatusCodes.Status304NotModified, Header.ETag)
            .Fails(InvalidId, LeadNotFound with { When = LeadNotFound.When + " (another partner's lead, or a lead another sender sent, included)" })
            .WithSummary("Read a lead")
            .WithDescription("""
                The lead with its computed `status`, `stage`, `allowedActions`, `contactRequest` and the caller's `favorite`. The
                `ETag` header (and `etag`) names this representation: send it as `If-None-Match` to get 304 without a body while
                the lead reads the same to you (a change, your star, the end of the hot window or respondBy each make a new one),
                and as `If-Match` to change the lead only if nobody changed it since (`If-Match` compares the version alone). A partner's users get `LeadResponse`; the lead's sender gets
                `SenderLeadResponse`: what it sent, where the lead is, a decline's reason and notes, won or lost and the day a won
                deal closed, but nothing of the partner's own work (deal, team, final value, outcome notes, stars).
                """);
        leads.MapGet("/{id}/timeline", GetLeadTimeline).WithName("getLeadTimeline")
            .Fails(InvalidId, LeadNotFound)
            .WithSummary("Read a lead's timeline")
            .WithDescription("""
                Everything that happened to the lead, oldest first: who, when, what, and the fields it changed with their values
                before and after. The lead's sender gets only the changes of status (`SenderTimelineResponse`): who did it by kind
                (sender, user or system) without naming the partner's people, and of the changed fields only a decline's reason and
                notes and the day a won deal closed.
                """);

        var actions = leads.MapGroup("/{id}")
            .RequireAuthorization(Policies.ActOnLeads)
            .Fails(
                new(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong (an id that is not a GUID included)"),
                new(ProblemCatalog.Forbidden, "for a reader's or a sender's key"),
                LeadNotFound,
                new(ProblemCatalog.ConcurrentUpdate, "when another change won a race"),
                new(ProblemCatalog.PreconditionFailed, "when `If-Match` is not the lead's current ETag (with `currentETag`)"));
        actions.MapPost("/accept", AcceptLead).WithName("acceptLead").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(NotReceived, Expired)
            .WithSummary("Accept a received lead")
            .WithDescription("Moves a received lead to accepted with the deal the partner commits to; the contacts become the deal's team.");
        actions.MapPost("/decline", DeclineLead).WithName("declineLead").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(NotReceived, Expired)
            .WithSummary("Decline a received lead")
            .WithDescription("""
                Archives a received lead as declined with a reason (notes required for `other`); the customer is told to pick another
                partner.
                """);
        actions.MapPost("/won", MarkLeadWon).WithName("markLeadWon").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(NotAccepted)
            .WithSummary("Mark an accepted lead won")
            .WithDescription("Archives an accepted lead as won with the final value and the day it closed (not before the day it was accepted).");
        actions.MapPost("/lost", MarkLeadLost).WithName("markLeadLost").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(NotAccepted)
            .WithSummary("Mark an accepted lead lost")
            .WithDescription("Archives an accepted lead as lost with a reason (notes required for `other`).");
        actions.MapPatch("/", EditDeal).WithName("editDeal").ReadsJsonBody()
            .ProducesHeaders(StatusCodes.Status200OK, Header.ETag)
            .Fails(NotAccepted)
            .Accepts<EditDealRequest>(MergePatchJson, "application/json")
            .WithSummary("Edit an accepted lead's deal")
            .WithDescription("""
                A JSON merge patch (RFC 7396) of the deal: members left out stay as they are; `notes`, `crmId` and `campaignId` can be
                cleared with null, the others cannot.
                """);
        actions.MapPost("/team", AddTeamMember).WithName("addTeamMember").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status201Created, Header.Location, Header.ETag)
            .Fails(NotAccepted)
            .WithSummary("Add a member to an accepted lead's team")
            .WithDescription("Answers 201 with the member and its id; `Location` is the address to delete it at.");
        actions.MapDelete("/team/{memberId}", RemoveTeamMember).WithName("removeTeamMember")
            .ProducesHeaders(StatusCodes.Status204NoContent, Header.ETag)
            .Fails(
                new(ProblemCatalog.ValidationFailed, "when an id is not a GUID"),
                new(ProblemCatalog.TeamMemberNotFound, "when the lead has no such member"),
                NotAccepted)
            .WithSummary("Remove a member from an accepted lead's team")
            .WithDescription("Answers 204.");

        var favorite = leads.MapGroup("/{id}/favorite")
            .RequireAuthorization(Policies.StarLeads)
            .Fails(InvalidId, new(ProblemCatalog.Forbidden, "for a sender's key"), LeadNotFound);
        favorite.MapPut("/", StarLead).WithName("starLead")
            .WithSummary("Star a lead for yourself")
            .WithDescription("""
                Makes the lead one of the calling user's favorites, in any stage; it never changes the lead. Answers 204, also when
                it was starred already.
                """);
        favorite.MapDelete("/", UnstarLead).WithName("unstarLead")
            .WithSummary("Unstar a lead")
            .WithDescription("Removes the lead from the calling user's favorites. Answers 204, also when it was not starred.");
        return app;
    }

    private static async Task<Results<Created<SenderLeadResponse>, Ok<SenderLeadResponse>>> CreateLead(
        [JsonBody] CreateLeadRequest body, ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var (lead, created) = await mediator.Send(new CreateLead(Caller.From(user), body), cancellationToken);
        response.Headers.ETag = lead.ETag;
        if (created)
        {
            return TypedResults.Created($"/v1/leads/{lead.Id}", lead);
        }

        response.Headers.Location = $"/v1/leads/{lead.Id}";
        return TypedResults.Ok(lead);
    }

    private static async Task<Ok<ImportLeadsResponse>> ImportLeads(
        [JsonBody] ImportLeadsRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ImportLeads(Caller.From(user), body), cancellationToken));

    // The reads answer a sender with its own representation, the partner's users with the partner's.
    private static async Task<Results<Ok<LeadPage>, Ok<SenderLeadPage>>> ListLeads(
        [AsParameters] ListLeadsParameters parameters, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var filter = parameters.ToFilter(caller, request.Query.Keys);
        return caller.IsSender
            ? TypedResults.Ok(await mediator.Send(new ListSentLeads(caller, filter), cancellationToken))
            : TypedResults.Ok(await mediator.Send(new ListLeads(caller, filter), cancellationToken));
    }

    private static async Task<Ok<LeadSummary>> GetLeadSummary(ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetLeadSummary(Caller.From(user)), cancellationToken));

    private static async Task<Results<Ok<LeadResponse>, Ok<SenderLeadResponse>, StatusCodeHttpResult>> GetLead(
        PathId id, [IfNoneMatch] string? ifNoneMatch, ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (caller.IsSender)
        {
            var sent = await mediator.Send(new GetSentLead(caller, id), cancellationToken);
            return HoldsAlready(response, ifNoneMatch, sent.ETag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(sent);
        }

        var lead = await mediator.Send(new GetLead(caller, id), cancellationToken);
        return HoldsAlready(response, ifNoneMatch, lead.ETag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(lead);
    }

    /// <summary>Sets the ETag (a 304 carries it too) and says whether the client's If-None-Match names this representation.</summary>
    private static bool HoldsAlready(HttpResponse response, string? ifNoneMatch, string etag)
    {
        response.Headers.ETag = etag;
        return LeadETag.IsNamedBy(ifNoneMatch, etag);
    }

    private static async Task<Results<Ok<TimelineResponse>, Ok<SenderTimelineResponse>>> GetLeadTimeline(
        PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        return caller.IsSender
            ? TypedResults.Ok(await mediator.Send(new GetSentLeadTimeline(caller, id), cancellationToken))
            : TypedResults.Ok(await mediator.Send(new GetLeadTimeline(caller, id), cancellationToken));
    }

    private static async Task<Ok<LeadResponse>> AcceptLead(
        PathId id, [JsonBody] AcceptLeadRequest body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new AcceptLead(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> DeclineLead(
        PathId id, [JsonBody] DeclineLeadRequest body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new DeclineLead(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> MarkLeadWon(
        PathId id, [JsonBody] MarkLeadWonRequest body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new MarkLeadWon(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> MarkLeadLost(
        PathId id, [JsonBody] MarkLeadLostRequest body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new MarkLeadLost(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> EditDeal(
        PathId id, [JsonBody] EditDealRequest body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new EditDeal(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Created<TeamMember>> AddTeamMember(
        PathId id, [JsonBody] TeamMemberInput body, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var added = await mediator.Send(new AddTeamMember(Caller.From(user), id, body, ifMatch), cancellationToken);
        response.Headers.ETag = added.LeadETag;
        return TypedResults.Created($"/v1/leads/{id}/team/{added.Member.Id}", added.Member);
    }

    private static async Task<NoContent> RemoveTeamMember(
        PathId id, PathId memberId, [IfMatch] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        response.Headers.ETag = await mediator.Send(new RemoveTeamMember(Caller.From(user), id, memberId, ifMatch), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> StarLead(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new ToggleFavorite(Caller.From(user), id, Favorite: true), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnstarLead(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new ToggleFavorite(Caller.From(user), id, Favorite: false), cancellationToken);
        return TypedResults.NoContent();
    }

    private static Ok<LeadResponse> WithETag(HttpResponse response, LeadResponse lead)
    {
        response.Headers.ETag = lead.ETag;
        return TypedResults.Ok(lead);
    }

    private static Ok<SenderLeadResponse> WithETag(HttpResponse response, SenderLeadResponse lead)
    {
        response.Headers.ETag = lead.ETag;
        return TypedResults.Ok(lead);
    }
}
