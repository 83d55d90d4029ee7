using System.Globalization;
using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Problems;

/// <summary>
/// The one place exceptions become HTTP answers. Domain exceptions carry what the client needs;
/// anything unexpected is logged and answered with a 500 that reveals nothing but a correlation id.
/// </summary>
public sealed partial class LeadsExceptionHandler(
    IProblemDetailsService problems,
    IOptions<DatabaseOptions> database,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<LeadsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // The handler runs with the endpoint cleared; the feature keeps the one that threw.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var problem = Describe(exception, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, json.Value.SerializerOptions);
        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = ProblemFactory.Create(ProblemCatalog.InternalError);
        }
        else if (exception is Idempotency.IdempotencyKeyInUseException)
        {
            httpContext.Response.Headers.RetryAfter = Idempotency.IdempotencyKeyInUseException.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected under saturation or an outage: a warning without the stack, and a time to come back.
            LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, DatabaseUnavailable.Reason(exception));
            httpContext.Response.Headers.RetryAfter = database.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// The problem an exception is answered with, or null for one nothing expects (answered as internal-error). A request
    /// body of type <paramref name="body"/> names the fields of JSON errors. The batch import describes each lead's
    /// failure with it, so a lead of a batch fails as POST /v1/leads would have failed it.
    /// </summary>
    public static ProblemDetails? Describe(Exception exception, Type? body, JsonSerializerOptions json) =>
        exception switch
        {
            LeadExpiredException expired => ProblemFactory.Create(ProblemCatalog.LeadExpired, expired.Message, new Dictionary<string, object?>
            {
                ["currentStatus"] = Names.Of(expired.CurrentStatus),
                ["allowedActions"] = Array.Empty<string>(),
                ["respondBy"] = expired.RespondBy,
            }),
            InvalidLeadTransitionException invalid => ProblemFactory.Create(ProblemCatalog.InvalidTransition, invalid.Message, new Dictionary<string, object?>
            {
                ["currentStatus"] = Names.Of(invalid.CurrentStatus),
                ["allowedActions"] = invalid.AllowedActions.Select(Names.Of).ToArray(),
            }),
            LeadValidationException rule => ProblemFactory.Validation(new Dictionary<string, string[]> { [rule.Field] = [rule.Message] }),
            RequestValidationException validation => ProblemFactory.Validation(validation.Errors),
            LeadNotFoundException notFound => ProblemFactory.Create(ProblemCatalog.LeadNotFound, notFound.Message),
            TeamMemberNotFoundException member => ProblemFactory.Create(ProblemCatalog.TeamMemberNotFound, member.Message),
            Webhooks.WebhookNotFoundException webhook => ProblemFactory.Create(ProblemCatalog.WebhookNotFound, webhook.Message),
            Webhooks.DeliveryNotFoundException delivery => ProblemFactory.Create(ProblemCatalog.DeliveryNotFound, delivery.Message),
            Identity.ApiKeyNotFoundException key => ProblemFactory.Create(ProblemCatalog.ApiKeyNotFound, key.Message),
            Partners.PartnerNotFoundException partner => ProblemFactory.Create(ProblemCatalog.PartnerNotFound, partner.Message),
            Leads.NoMatchingPartnerException none => ProblemFactory.Create(ProblemCatalog.NoMatchingPartner, none.Message),
            Events.EventCursorExpiredException expired => ProblemFactory.Create(ProblemCatalog.CursorExpired, expired.Message),
            LeadPreconditionFailedException stale => ProblemFactory.Create(ProblemCatalog.PreconditionFailed, stale.Message, new Dictionary<string, object?>
            {
                ["currentETag"] = stale.CurrentETag,
            }),
            Partners.ProfilePreconditionFailedException stale => ProblemFactory.Create(ProblemCatalog.PreconditionFailed, stale.Message, new Dictionary<string, object?>
            {
                ["currentETag"] = stale.CurrentETag,
            }),
            DbUpdateConcurrencyException => ProblemFactory.Create(ProblemCatalog.ConcurrentUpdate),
            Idempotency.IdempotencyKeyReusedException reused => ProblemFactory.Create(ProblemCatalog.IdempotencyKeyReused, reused.Message),
            Idempotency.IdempotencyKeyInUseException inUse => ProblemFactory.Create(ProblemCatalog.IdempotencyKeyInUse, inUse.Message),
            UnsupportedCharsetException charset => ProblemFactory.Create(ProblemCatalog.UnsupportedMediaType, charset.Message, new Dictionary<string, object?>
            {
                ["supportedCharsets"] = UnsupportedCharsetException.Supported,
            }),
            MissingBodyException => ProblemFactory.Create(ProblemCatalog.MalformedJson, exception.Message),
            BadHttpRequestException badRequest => FromBadRequest(badRequest, body, json),
            _ when DatabaseUnavailable.Explains(exception) => ProblemFactory.Create(ProblemCatalog.ServiceUnavailable),
            _ => null,
        };

    /// <summary>
    /// Binding failures, told apart by the exception's type and status and the JSON path it names, never by its
    /// message: a framework upgrade or another culture cannot change the answer. Path and query values and a
    /// missing body never get here: the API binds them as text and checks them itself (PathId, ListLeadsParameters,
    /// JsonBody), naming what is wrong.
    /// </summary>
    private static ProblemDetails FromBadRequest(BadHttpRequestException exception, Type? body, JsonSerializerOptions json)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ProblemFactory.Create(ProblemCatalog.PayloadTooLarge);
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ProblemFactory.Create(ProblemCatalog.UnsupportedMediaType);
        }

        if (exception.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return ProblemFactory.Create(ProblemCatalog.RequestTimeout);
        }

        if (exception.InnerException is JsonException error)
        {
            return FromJson(error, body, json);
        }

        // What is left is the HTTP framing itself (a body shorter than its Content-Length, bad chunking), or a
        // status Kestrel chose: the problem keeps that status.
        var framing = ProblemFactory.Create(ProblemCatalog.BadRequest);
        framing.Status = exception.StatusCode;
        return framing;
    }

    /// <summary>A body that is not JSON, or whose JSON does not fit <paramref name="body"/>, naming the field where it does not.</summary>
    public static ProblemDetails FromJson(JsonException error, Type? body, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(error);
        // Syntax errors come from the reader, which wraps its own JsonException; type errors do not.
        if (error.InnerException is JsonException)
        {
            // Where it broke, so a hand-written -d '...' can be fixed without guessing (both are 0-based).
            return ProblemFactory.Create(
                ProblemCatalog.MalformedJson,
                $"The body is not valid JSON: it breaks at line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}.");
        }

        var field = ProblemFactory.FieldOf(error);
        var unknown = body is not null && error.Path is { } path && JsonMembers.IsUnknownMember(body, path, json);
        return ProblemFactory.Validation(new Dictionary<string, string[]>
        {
            [field] = [unknown ? "Not a member of this request (unknown or read-only); remove it." : "Has the wrong type or format for this field."],
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable on {Method} {Path}: {Reason}; answered 503")]
    private partial void LogUnavailable(string method, string path, string reason);
}
