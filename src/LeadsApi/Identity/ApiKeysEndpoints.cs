using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Idempotency;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LeadsApi.Identity;

/// <summary>A partner's API keys, managed by its admins: create (the secret shown once), list, read, revoke.</summary>
public static class ApiKeysEndpoints
{
    private static readonly Failure NotFound = new(ProblemCatalog.ApiKeyNotFound,
        "when no key with this id belongs to the caller's partner (another partner's key, and a revoked one, included)");

    private static readonly Failure InvalidId = new(ProblemCatalog.ValidationFailed, "when the id is not a GUID");

    private static readonly Header KeyLocation = new(HeaderNames.Location, "The key's address: read it there, or DELETE it to revoke the key.");

    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/api-keys")
            .WithTags("API keys")
            .RequireAuthorization(Policies.ManageApiKeys)
            .RequireCanonicalIds()
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key is not a partner admin's: readers, referrals admins, senders and platform admins never see keys"),
                Failure.RateLimited,
                Failure.ServiceUnavailable);

        keys.MapPost("/", Create).WithName("createApiKey").ReadsJsonBody().Idempotent("secret")
            .ProducesHeaders(StatusCodes.Status201Created, KeyLocation)
            .Fails(new Failure(ProblemCatalog.ValidationFailed,
                "naming in `errors` each field that is wrong: a role that is not a partner role (`sender`, `platformAdmin`) or that the creating key lacks, "
                + "an `expiresAt` in the past or more than 730 days ahead"))
            .WithSummary("Create an API key")
            .WithDescription("""
                A new key of the caller's partner, with a `name` (its user, as the timeline shows it), partner `roles` (only roles the
                creating key holds) and, optionally, `expiresAt`. Answers 201 with the key and its `secret`, this once: only its hash is
                stored. With an `Idempotency-Key`, a retry gets the same key again **without** the secret (it is kept nowhere): if the
                first answer was lost, revoke that key and create another.
                """);
        keys.MapGet("/", List).WithName("listApiKeys")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each parameter that is not valid"))
            .WithSummary("List the partner's API keys")
            .WithDescription("""
                The partner's keys, oldest first, that work or have expired (revoked keys are gone): name, `prefix` (the secret's first
                characters), roles, when and by whom created, `lastUsedAt` (to the minute), `expiresAt`. Never a secret or a hash.
                Follow `nextLink` until it is absent.
                """);
        keys.MapGet("/{id}", Get).WithName("getApiKey").Fails(InvalidId, NotFound)
            .WithSummary("Read an API key")
            .WithDescription("One key of the partner, as the list shows it; a revoked key is not found.");
        keys.MapDelete("/{id}", Revoke).WithName("revokeApiKey").Fails(InvalidId, NotFound)
            .WithSummary("Revoke an API key")
            .WithDescription("""
                Revokes the key at once, on every instance of the service: its next request is 401. The calling key may revoke itself.
                Answers 204; the key is then gone from the list, and revoking it again is 404.
                """);
        return app;
    }

    private static async Task<Created<ApiKeyResponse>> Create(
        [JsonBody] CreateApiKeyRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var key = await mediator.Send(new CreateApiKey(Caller.From(user), body), cancellationToken);
        return TypedResults.Created($"/v1/api-keys/{key.Id}", key);
    }

    private static async Task<Ok<ApiKeyPage>> List(
        [AsParameters] ApiKeyListParameters parameters, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(parameters.ToQuery(Caller.From(user), request.Query.Keys), cancellationToken));

    private static async Task<Ok<ApiKeyResponse>> Get(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetApiKey(Caller.From(user), id), cancellationToken));

    private static async Task<NoContent> Revoke(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new RevokeApiKey(Caller.From(user), id), cancellationToken);
        return TypedResults.NoContent();
    }
}
