using System.Security.Claims;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadsApi.Leads;

/// <summary>
/// The HTTP surface of leads. Each endpoint turns the request into one mediator message; rule
/// violations come back as exceptions that <see cref="Problems.LeadsExceptionHandler"/> answers.
/// </summary>
public static class LeadsEndpoints
{
    private const string MergePatchJson = "application/merge-patch+json";

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/v1/leads")
            .WithTags("Leads")
            .RequireAuthorization(Policies.ReadLeads)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        leads.MapPost("/", CreateLead).WithName("createLead").RequireAuthorization(Policies.SendLeads)
            .ProducesValidationProblem();
        leads.MapGet("/", ListLeads).WithName("listLeads").ProducesValidationProblem();
        leads.MapGet("/summary", GetLeadSummary).WithName("getLeadSummary");
        leads.MapGet("/{id}", GetLead).WithName("getLead")
            .ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapGet("/{id}/timeline", GetLeadTimeline).WithName("getLeadTimeline")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var actions = leads.MapGroup("/{id}")
            .RequireAuthorization(Policies.ActOnLeads)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        actions.MapPost("/accept", AcceptLead).WithName("acceptLead");
        actions.MapPost("/decline", DeclineLead).WithName("declineLead");
        actions.MapPost("/won", MarkLeadWon).WithName("markLeadWon");
        actions.MapPost("/lost", MarkLeadLost).WithName("markLeadLost");
        actions.MapPatch("/", EditDeal).WithName("editDeal")
            .Accepts<EditDealRequest>(MergePatchJson, "application/json");
        actions.MapPost("/team", AddTeamMember).WithName("addTeamMember");
        actions.MapDelete("/team/{memberId}", RemoveTeamMember).WithName("removeTeamMember");

        var favorite = leads.MapGroup("/{id}/favorite")
            .RequireAuthorization(Policies.StarLeads)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        favorite.MapPut("/", StarLead).WithName("starLead");
        favorite.MapDelete("/", UnstarLead).WithName("unstarLead");
        return app;
    }

    private static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>>> CreateLead(
        CreateLeadRequest body, ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
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

    private static async Task<Ok<LeadPage>> ListLeads(
        [AsParameters] ListLeadsParameters parameters, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListLeads(Caller.From(user), parameters), cancellationToken));

    private static async Task<Ok<LeadSummary>> GetLeadSummary(ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetLeadSummary(Caller.From(user)), cancellationToken));

    private static async Task<Ok<LeadResponse>> GetLead(
        Guid id, ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new GetLead(Caller.From(user), id), cancellationToken));

    private static async Task<Ok<TimelineResponse>> GetLeadTimeline(
        Guid id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetLeadTimeline(Caller.From(user), id), cancellationToken));

    private static async Task<Ok<LeadResponse>> AcceptLead(
        Guid id, AcceptLeadRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new AcceptLead(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> DeclineLead(
        Guid id, DeclineLeadRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new DeclineLead(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> MarkLeadWon(
        Guid id, MarkLeadWonRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new MarkLeadWon(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> MarkLeadLost(
        Guid id, MarkLeadLostRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new MarkLeadLost(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Ok<LeadResponse>> EditDeal(
        Guid id, EditDealRequest body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await mediator.Send(new EditDeal(Caller.From(user), id, body, ifMatch), cancellationToken));

    private static async Task<Created<TeamMember>> AddTeamMember(
        Guid id, TeamMemberInput body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var added = await mediator.Send(new AddTeamMember(Caller.From(user), id, body, ifMatch), cancellationToken);
        response.Headers.ETag = added.LeadETag;
        return TypedResults.Created($"/v1/leads/{id}/team/{added.Member.Id}", added.Member);
    }

    private static async Task<NoContent> RemoveTeamMember(
        Guid id, Guid memberId, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        response.Headers.ETag = await mediator.Send(new RemoveTeamMember(Caller.From(user), id, memberId, ifMatch), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> StarLead(Guid id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new ToggleFavorite(Caller.From(user), id, Favorite: true), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnstarLead(Guid id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new ToggleFavorite(Caller.From(user), id, Favorite: false), cancellationToken);
        return TypedResults.NoContent();
    }

    private static Ok<LeadResponse> WithETag(HttpResponse response, LeadResponse lead)
    {
        response.Headers.ETag = lead.ETag;
        return TypedResults.Ok(lead);
    }
}
