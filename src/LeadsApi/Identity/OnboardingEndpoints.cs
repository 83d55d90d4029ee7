using System.Security.Claims;
using LeadsApi.Hosting;
using LeadsApi.Idempotency;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsApi.Identity;

/// <summary>Onboarding by the platform's staff: a partner with its first admin key, a sender with its key.</summary>
public static class OnboardingEndpoints
{
    public static IEndpointRouteBuilder MapOnboarding(this IEndpointRouteBuilder app)
    {
        var onboarding = app.MapGroup("/v1")
            .WithTags("Onboarding")
            .RequireAuthorization(Policies.Onboard)
            .Fails(
                Failure.Unauthenticated,
                new(ProblemCatalog.Forbidden, "when the key is not a platform admin's (`admin create-platform-key`)"),
                Failure.RateLimited,
                Failure.ServiceUnavailable);

        onboarding.MapPost("/partners", OnboardPartner).WithName("onboardPartner").ReadsJsonBody().Idempotent("key.secret")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong"))
            .WithSummary("Onboard a partner (platform admins)")
            .WithDescription("""
                Creates a partner and its first `partnerAdmin` key, as `admin create-partner` does. Answers 201 with the partner's id and
                the key with its `secret`, this once; with that key the partner creates its other keys (`POST /v1/api-keys`). With an
                `Idempotency-Key`, a retry gets the same partner and key again without the secret.
                """);
        onboarding.MapPost("/senders", OnboardSender).WithName("onboardSender").ReadsJsonBody().Idempotent("key.secret")
            .Fails(new Failure(ProblemCatalog.ValidationFailed, "naming in `errors` each field that is missing or wrong"))
            .WithSummary("Onboard a sender (platform admins)")
            .WithDescription("""
                Creates a sender and its key, as `admin create-sender` does. Answers 201 with the sender's id and the key with its
                `secret`, this once. A sender's keys are not managed over HTTP (`/v1/api-keys` is a partner's); a retry with the same
                `Idempotency-Key` gets the same sender and key again without the secret.
                """);
        return app;
    }

    private static async Task<Created<OnboardedPartner>> OnboardPartner(
        [JsonBody] OnboardPartnerRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Created((string?)null, await mediator.Send(new OnboardPartner(Caller.From(user), body), cancellationToken));

    private static async Task<Created<OnboardedSender>> OnboardSender(
        [JsonBody] OnboardSenderRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Created((string?)null, await mediator.Send(new OnboardSender(Caller.From(user), body), cancellationToken));
}
