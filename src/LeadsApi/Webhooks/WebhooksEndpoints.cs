using LeadsApi.Idempotency;
using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadsApi.Webhooks;

/// <summary>Webhook subscriptions, their delivery log, redelivery and replay.</summary>
public static class WebhooksEndpoints
{
    private const string MergePatchJson = "application/merge-patch+json";

    private static readonly Failure NotFound = new(ProblemCatalog.WebhookNotFound, "when no webhook with this id belongs to the key's partner or sender");
    private static readonly Failure InvalidId = new(ProblemCatalog.ValidationFailed, "when an id is not a GUID");

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/webhooks")
            .WithTags("Webhooks")
            .RequireAuthorization(Policies.ManageWebhooks)
            .RequireCanonicalIds()
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key is neither a partner admin's nor a sender's"),
                Failure.RateLimited,
                Failure.ServiceUnavailable);

        webhooks.MapPost("/", Create).WithName("createWebhook").ReadsJsonBody().Idempotent()
            .ProducesHeaders(StatusCodes.Status201Created, Header.Location)
            .Fails(new Failure(ProblemCatalog.ValidationFailed,
                "naming in `errors` each field that is wrong: a `url` that is not https or resolves to a loopback, private, link-local or metadata address included"))
            .WithSummary("Subscribe a URL to events")
            .WithDescription("""
                Events about the caller's leads are POSTed to the URL, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
                `webhook-signature`). A partner admin subscribes the partner (every event type), a sender itself (what senders hear).
                The answer holds the signing `secret` (`whsec_...`), this once. See docs/events.md for the payloads and the check.
                """);
        webhooks.MapGet("/", List).WithName("listWebhooks")
            .WithSummary("List webhooks")
            .WithDescription("The caller's webhooks, oldest first, with `pendingDeliveries`, `lastSuccessAt` and `lastFailure`; never their secrets.");
        webhooks.MapGet("/{id}", Get).WithName("getWebhook").Fails(InvalidId, NotFound)
            .WithSummary("Read a webhook")
            .WithDescription("The webhook and how its deliveries go: `pendingDeliveries`, `lastSuccessAt`, `lastFailure`, and `disabledReason` when the service disabled it.");
        webhooks.MapPatch("/{id}", Update).WithName("updateWebhook").ReadsJsonBody()
            .Accepts<UpdateWebhookRequest>(MergePatchJson, "application/json")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is wrong (an id that is not a GUID included)"), NotFound)
            .WithSummary("Change a webhook")
            .WithDescription("A JSON merge patch of `url`, `eventTypes`, `description` and `enabled`. Enabling a disabled webhook clears `disabledReason`.");
        webhooks.MapDelete("/{id}", Delete).WithName("deleteWebhook").Fails(InvalidId, NotFound)
            .WithSummary("Delete a webhook")
            .WithDescription("Deletes the webhook and its delivery log; nothing more is sent to it. Answers 204.");
        webhooks.MapPost("/{id}/rotate-secret", RotateSecret).WithName("rotateWebhookSecret").Fails(InvalidId, NotFound)
            .WithSummary("Rotate a webhook's secret")
            .WithDescription("""
                A new `secret`, shown this once. Until `previousSecretExpiresAt` (24 hours by default) every delivery carries two
                signatures, one per secret, so the receiver can switch to the new secret without missing a message.
                """);
        webhooks.MapPost("/{id}/test", SendTest).WithName("testWebhook").Idempotent().Fails(InvalidId, NotFound)
            .WithSummary("Send a test event")
            .WithDescription("""
                Queues a `webhook.test` message for this webhook at once (also when it is disabled) and answers 202 with its delivery;
                read the delivery log for the outcome. Its body is not a lead event: `{"id", "type": "webhook.test", "timestamp",
                "data": {"webhookId", "message"}}`, signed like every delivery. A receiver should accept types it does not know.
                """);
        webhooks.MapGet("/{id}/deliveries", ListDeliveries).WithName("listWebhookDeliveries")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each parameter that is not valid"), NotFound)
            .WithSummary("Read a webhook's delivery log")
            .WithDescription("Each delivery, newest first, with every attempt (time, status code, latency, error) and the next retry. Follow `nextLink` until it is absent.");
        webhooks.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("redeliverWebhookDelivery")
            .Fails(InvalidId, NotFound, new(ProblemCatalog.DeliveryNotFound, "when the webhook has no delivery with this id"))
            .WithSummary("Deliver a message again")
            .WithDescription("Sends the delivery's message again now, with the same `webhook-id` and a fresh retry schedule. Answers 202.");
        webhooks.MapPost("/{id}/replay", Replay).WithName("replayWebhook")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "when `since` is missing, not a time, or older than the retention"), NotFound)
            .WithSummary("Resend every event since a time")
            .WithDescription("""
                After an outage on your side: queues again every event since `since` (within the retention, 30 days by default) that the
                webhook wants, each with its original `webhook-id`, so a receiver that deduplicates sees only what it missed. Answers 202.
                """);
        return app;
    }

    private static async Task<Created<WebhookResponse>> Create(
        [JsonBody] CreateWebhookRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var webhook = await mediator.Send(new CreateWebhook(Caller.From(user), body), cancellationToken);
        return TypedResults.Created($"/v1/webhooks/{webhook.Id}", webhook);
    }

    private static async Task<Ok<WebhookList>> List(ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListWebhooks(Caller.From(user)), cancellationToken));

    private static async Task<Ok<WebhookResponse>> Get(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetWebhook(Caller.From(user), id), cancellationToken));

    private static async Task<Ok<WebhookResponse>> Update(
        PathId id, [JsonBody] UpdateWebhookRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new UpdateWebhook(Caller.From(user), id, body), cancellationToken));

    private static async Task<NoContent> Delete(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteWebhook(Caller.From(user), id), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookResponse>> RotateSecret(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new RotateWebhookSecret(Caller.From(user), id), cancellationToken));

    private static async Task<Accepted<DeliveryResponse>> SendTest(PathId id, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var delivery = await mediator.Send(new SendTestEvent(Caller.From(user), id), cancellationToken);
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", delivery);
    }

    private static async Task<Ok<DeliveryPage>> ListDeliveries(
        PathId id, [AsParameters] DeliveryLogParameters parameters, HttpRequest request, ClaimsPrincipal user, IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(parameters.ToQuery(Caller.From(user), id, request.Query.Keys), cancellationToken));

    private static async Task<Accepted<DeliveryResponse>> Redeliver(
        PathId id, PathId deliveryId, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken)
    {
        var delivery = await mediator.Send(new Redeliver(Caller.From(user), id, deliveryId), cancellationToken);
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", delivery);
    }

    private static async Task<Accepted<ReplayResult>> Replay(
        PathId id, [FromQuery(Name = "since"), PublishedAs(typeof(DateTimeOffset)), Limit(nameof(FieldLimits.Given))] string? since,
        ClaimsPrincipal user, IMediator mediator,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var from = errors.Parse<DateTimeOffset>("since", since, QueryValues.Timestamp);
        if (!errors.IsEmpty)
        {
            throw new RequestValidationException(errors.ToDictionary());
        }

        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", await mediator.Send(new Replay(Caller.From(user), id, from), cancellationToken));
    }
}
