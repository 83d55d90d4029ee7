using LeadsApi.Limits;

namespace LeadsApi.Problems;

/// <summary>
/// Every problem <c>code</c> the API can answer with. The code is the stable part of an error a client
/// can switch on; each one has a page at <c>/problems/{code}</c> that says what it means and what to do.
/// </summary>
public static class ProblemCatalog
{
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string LeadNotFound = "lead-not-found";
    public const string TeamMemberNotFound = "team-member-not-found";
    public const string NotFound = "not-found";
    public const string WebhookNotFound = "webhook-not-found";
    public const string DeliveryNotFound = "delivery-not-found";
    public const string ApiKeyNotFound = "api-key-not-found";
    public const string PartnerNotFound = "partner-not-found";
    public const string NoMatchingPartner = "no-matching-partner";
    public const string CursorExpired = "cursor-expired";
    public const string InvalidTransition = "invalid-transition";
    public const string LeadExpired = "lead-expired";
    public const string ConcurrentUpdate = "concurrent-update";
    public const string PreconditionFailed = "precondition-failed";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string IdempotencyKeyInUse = "idempotency-key-in-use";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string PayloadTooLarge = "payload-too-large";
    public const string BadRequest = "bad-request";
    public const string RequestTimeout = "request-timeout";
    public const string ServiceUnavailable = "service-unavailable";
    public const string InternalError = "internal-error";
    public const string RateLimited = "rate-limited";

    public static readonly IReadOnlyDictionary<string, ProblemKind> Kinds = new Dictionary<string, ProblemKind>
    {
        [ValidationFailed] = new(400, "The request is not valid",
            "One or more fields are missing or wrong. The errors member maps each field (a JSON path such as estimatedValue.currency) to what is wrong with it. Fix them and send the request again; nothing was changed."),
        [MalformedJson] = new(400, "The request body is not valid JSON",
            "The body could not be parsed as JSON. Check quoting and commas; nothing was changed."),
        [Unauthenticated] = new(401, "An API key or token is required",
            "Send an API key, or a front-end's sign-in token (a JWT), as 'Authorization: Bearer <api key or token>'; never in the query string. It was missing, malformed, unknown, revoked, expired or not issued for this API; for a token, the WWW-Authenticate header's error_description says which."),
        [Forbidden] = new(403, "Your key may not do this",
            "The key (or token) is valid but its roles do not allow this call: readers can read, referrals and partner admins act on leads, senders create leads, partner admins and senders manage webhooks, partner admins manage API keys, platform admins onboard partners and senders (and do nothing else)."),
        [LeadNotFound] = new(404, "The lead does not exist",
            "No lead with this id is visible to your key. Leads of other partners are never visible."),
        [TeamMemberNotFound] = new(404, "The team member does not exist",
            "The lead has no team member with this id. Read the lead to see its team."),
        [WebhookNotFound] = new(404, "The webhook does not exist",
            "No webhook subscription with this id belongs to your key's partner or sender. List them at /v1/webhooks."),
        [DeliveryNotFound] = new(404, "The delivery does not exist",
            "The webhook has no delivery with this id. List its deliveries at /v1/webhooks/{id}/deliveries."),
        [ApiKeyNotFound] = new(404, "The API key does not exist",
            "No API key with this id belongs to your partner: another partner's key, and a revoked one, are not found. List them at /v1/api-keys."),
        [PartnerNotFound] = new(404, "The partner does not exist",
            "No partner has this id. Partners are onboarded at /v1/partners, which answers with the new partner's id."),
        [NoMatchingPartner] = new(422, "No partner can take this request now",
            "Routing found no partner for the customer's request: none considered (no profile with a location in the customer's country), or every one excluded (paused, at capacity, not taking the lead type, or declined or let expire this customer lately). Nothing was created. POST /v1/matches with the same request shows who was considered and why each was left out; send the lead with a partnerId, or later."),
        [CursorExpired] = new(410, "The change feed cursor is too old",
            "Events are kept for a limited time (30 days by default), and the cursor is older, so events after it may be gone. Sync the leads again with GET /v1/leads?updatedSince=..., then read the feed without a cursor and keep the new one."),
        [NotFound] = new(404, "Nothing lives at this address",
            "Check the path against the API reference at /swagger."),
        [InvalidTransition] = new(409, "The lead's status does not allow this action",
            "The currentStatus member gives the lead's status and allowedActions what can be done now. Read the lead again before retrying; nothing was changed."),
        [LeadExpired] = new(409, "The lead has expired",
            "The lead was not answered before its respond-by time and is archived as expired. It can no longer be accepted or declined; the sender has been told."),
        [ConcurrentUpdate] = new(409, "The lead changed while your request ran",
            "Another request changed the lead first. Read it again and decide whether your change still applies; yours was not applied."),
        [PreconditionFailed] = new(412, "The lead has changed since you read it",
            "The If-Match header does not match the lead's current ETag. Read the lead again and retry with its new ETag; nothing was changed."),
        [IdempotencyKeyReused] = new(422, "The Idempotency-Key was used for another request",
            "An Idempotency-Key names one request: the same method, path and body. This one differs from the first request sent with the key. Use a new key for a new request; nothing was changed."),
        [IdempotencyKeyInUse] = new(409, "The first request with this Idempotency-Key is still running",
            "Wait for the seconds in the Retry-After header and send the request again with the same key: you get the first request's answer once it has one. Nothing was changed by this request."),
        [MethodNotAllowed] = new(405, "This method is not allowed here",
            "The path exists but does not answer to this HTTP method. See /swagger."),
        [UnsupportedMediaType] = new(415, "The body must be UTF-8 JSON",
            "Send the body as UTF-8 with 'Content-Type: application/json' (or application/merge-patch+json for PATCH); a charset parameter, if any, must be utf-8."),
        [PayloadTooLarge] = new(413, "The request body is too large",
            $"Request bodies are limited to {FieldLimits.MaxBodyBytes / 1024} KiB, a batch of leads (POST /v1/leads/batch) to {FieldLimits.MaxBatchBodyBytes / 1024 / 1024} MiB: split it into smaller batches."),
        [BadRequest] = new(400, "The request could not be read",
            "The HTTP request itself was malformed (its framing, a header, or the body ended early). Check the client or proxy that sent it; nothing was changed."),
        [RequestTimeout] = new(408, "The request body did not arrive in time",
            "The body arrived too slowly or stopped before the length announced in Content-Length. Send the whole body again; nothing was changed."),
        [ServiceUnavailable] = new(503, "The service cannot take this request right now",
            "The database is unreachable or every connection is busy. Wait for the seconds in the Retry-After header and send the request again; a write that answered 503 was not acknowledged, so read before you repeat it."),
        [RateLimited] = new(429, "Too many requests",
            "Your API key (or signed-in user) sent more requests than its budget allows; reads (GET, HEAD) and writes (every other method) have separate budgets, and requests without a valid key have one per client address. Wait for the seconds in the Retry-After header and send the request again; the RateLimit and RateLimit-Policy headers of every answer say how much is left. Nothing was changed by this request."),
        [InternalError] = new(500, "Something went wrong on our side",
            "The error was logged with the correlation id in the X-Correlation-Id response header; quote it when you contact us. Retrying is safe for reads; for changes, read the lead first."),
    };

    /// <summary>The code for a status when the framework itself produced the error.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => ConcurrentUpdate,
        412 => PreconditionFailed,
        408 => RequestTimeout,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 400 and < 500 => BadRequest,
        _ => InternalError,
    };

    public static string TypeUri(string code) => $"/problems/{code}";
}

public sealed record ProblemKind(int Status, string Title, string Description);
