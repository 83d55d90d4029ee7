using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.AspNetCore.Diagnostics;
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
    ILogger<LeadsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
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
            LeadPreconditionFailedException stale => ProblemFactory.Create(ProblemCatalog.PreconditionFailed, stale.Message, new Dictionary<string, object?>
            {
                ["currentETag"] = stale.CurrentETag,
            }),
            DbUpdateConcurrencyException => ProblemFactory.Create(ProblemCatalog.ConcurrentUpdate),
            UnsupportedCharsetException charset => ProblemFactory.Create(ProblemCatalog.UnsupportedMediaType, charset.Message, new Dictionary<string, object?>
            {
                ["supportedCharsets"] = UnsupportedCharsetException.Supported,
            }),
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            _ when DatabaseUnavailable.Explains(exception) => ProblemFactory.Create(ProblemCatalog.ServiceUnavailable),
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = ProblemFactory.Create(ProblemCatalog.InternalError);
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

    /// <summary>Binding failures: bad JSON, wrong types, unknown members, unparsable route or query values.</summary>
    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
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

        if (exception.InnerException is JsonException json)
        {
            var unmapped = UnmappedMember().Match(json.Message);
            if (unmapped.Success)
            {
                var field = unmapped.Groups["name"].Value;
                var parent = ProblemFactory.FieldOf(json);
                var path = parent == "body" || parent == field || parent.EndsWith("." + field, StringComparison.Ordinal)
                    ? parent == "body" ? field : parent
                    : $"{parent}.{field}";
                return ProblemFactory.Validation(new Dictionary<string, string[]>
                {
                    [path] = ["Not a member of this request (unknown or read-only); remove it."],
                });
            }

            // Syntax errors come from the reader, which wraps its own JsonException; type errors do not.
            if (json.InnerException is JsonException)
            {
                // Where it broke, so a hand-written -d '...' can be fixed without guessing (both are 0-based).
                return ProblemFactory.Create(
                    ProblemCatalog.MalformedJson,
                    $"The body is not valid JSON: it breaks at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}.");
            }

            return ProblemFactory.Validation(new Dictionary<string, string[]>
            {
                [ProblemFactory.FieldOf(json)] = ["Has the wrong type or format for this field."],
            });
        }

        // An empty body (or the JSON null) reads as "was not provided from body", or for an inferred body
        // parameter, as "no body was provided".
        if (exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
            && (exception.Message.Contains("was not provided", StringComparison.Ordinal) || exception.Message.Contains("no body was provided", StringComparison.Ordinal)))
        {
            return ProblemFactory.Create(ProblemCatalog.MalformedJson, "A JSON body is required.");
        }

        var parameter = BindFailure().Match(exception.Message);
        if (parameter.Success)
        {
            return ProblemFactory.Validation(new Dictionary<string, string[]>
            {
                // Query values bind to ListLeadsParameters' properties (Limit); the client sent limit.
                [JsonNamingPolicy.CamelCase.ConvertName(parameter.Groups["name"].Value)] = [NotValid(parameter.Groups["value"].Value)],
            });
        }

        // What is left is the HTTP framing itself (a body shorter than its Content-Length, bad chunking), or a
        // status Kestrel chose: the problem keeps that status.
        var framing = ProblemFactory.Create(ProblemCatalog.BadRequest);
        framing.Status = exception.StatusCode;
        return framing;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable on {Method} {Path}: {Reason}; answered 503")]
    private partial void LogUnavailable(string method, string path, string reason);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    /// <summary>A + in a query string arrives as a space; a time offset written +01:00 is the usual victim.</summary>
    private static string NotValid(string value) =>
        $"'{Truncate(value)}' is not a valid value."
        + (value.Contains(' ', StringComparison.Ordinal) ? " A + in a URL query means a space: send it as %2B." : "");

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""Failed to bind parameter "[^ "]+ (?<name>[^"]+)" from "(?<value>.*)"\.""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
