using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Http.Metadata;

namespace LeadsApi.Hosting;

/// <summary>
/// An error, as RFC 9457 problem details (<c>application/problem+json</c>) with a stable <c>code</c> to
/// switch on. The service writes these from <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/>;
/// this record only describes their shape to the OpenAPI document.
/// </summary>
/// <param name="Type">A page about this kind of problem: <c>/problems/{code}</c>.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong this time, in words meant for a person.</param>
/// <param name="Instance">The path of the request.</param>
/// <param name="Code">The stable code: validation-failed, malformed-json, unauthenticated, forbidden, lead-not-found, team-member-not-found, webhook-not-found, delivery-not-found, api-key-not-found, cursor-expired, not-found, invalid-transition, lead-expired, concurrent-update, precondition-failed, idempotency-key-reused, idempotency-key-in-use, method-not-allowed, unsupported-media-type, payload-too-large, bad-request, request-timeout, rate-limited, service-unavailable, internal-error.</param>
/// <param name="Errors">validation-failed only: each field (a JSON path such as estimatedValue.currency) and what is wrong with it.</param>
/// <param name="CurrentStatus">invalid-transition and lead-expired only: the lead's status now.</param>
/// <param name="AllowedActions">invalid-transition and lead-expired only: what can be done to the lead now.</param>
/// <param name="RespondBy">lead-expired only: when the lead expired.</param>
/// <param name="CurrentETag">precondition-failed only: the lead's current ETag.</param>
/// <param name="SupportedCharsets">unsupported-media-type for a body in another charset only: the charsets the API reads (utf-8).</param>
// The members left out when null are those only some codes carry. `code` stays an open string (its
// description lists today's codes): a code added later must not make older generated clients fail to read the problem.
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LeadStatus? CurrentStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LeadAction>? AllowedActions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RespondBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CurrentETag,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? SupportedCharsets)
{
    /// <summary>
    /// A problem the service wrote as <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/>, as a value of this shape: for a
    /// problem inside a body (a failed lead of a batch import) rather than the whole answer. Of the members only some codes
    /// carry, it keeps <c>errors</c>: a lead that fails to be created fails validation, the database or the service, never a
    /// transition.
    /// </summary>
    public static Problem From(Microsoft.AspNetCore.Mvc.ProblemDetails problem, string instance)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var code = problem.Extensions.TryGetValue("code", out var value) && value is string text ? text : ProblemCatalog.ForStatus(problem.Status ?? 500);
        return new Problem(
            problem.Type ?? ProblemCatalog.TypeUri(code),
            problem.Title ?? ProblemCatalog.Kinds[code].Title,
            problem.Status ?? ProblemCatalog.Kinds[code].Status,
            problem.Detail ?? ProblemCatalog.Kinds[code].Description,
            instance,
            code,
            problem.Extensions.TryGetValue("errors", out var errors) ? errors as IReadOnlyDictionary<string, string[]> : null,
            CurrentStatus: null,
            AllowedActions: null,
            RespondBy: null,
            CurrentETag: null,
            SupportedCharsets: null);
    }
}

/// <summary>
/// One way a call can fail, as the contract states it: the problem <paramref name="Code"/> (whose status the
/// <see cref="ProblemCatalog"/> gives), when the call answers with it, and a header that answer carries.
/// </summary>
/// <param name="Code">The problem code.</param>
/// <param name="When">When it happens, as a phrase that follows the code: "when the lead is not accepted".</param>
/// <param name="Header">A header the answer carries, if any.</param>
public sealed record Failure(string Code, string When, Header? Header = null)
{
    public static readonly Failure Unauthenticated = new(ProblemCatalog.Unauthenticated, "when the API key is missing, unknown or revoked", Header.WwwAuthenticate);

    public static readonly Failure MalformedJson = new(ProblemCatalog.MalformedJson, "when the body is not JSON (the detail says where it breaks)");

    public static readonly Failure PayloadTooLarge = new(ProblemCatalog.PayloadTooLarge,
        FormattableString.Invariant($"when the body is larger than {FieldLimits.MaxBodyBytes / 1024} KiB"));

    public static readonly Failure BatchTooLarge = new(ProblemCatalog.PayloadTooLarge,
        FormattableString.Invariant($"when the body is larger than {FieldLimits.MaxBatchBodyBytes / 1024 / 1024} MiB"));

    public static readonly Failure UnsupportedMediaType = new(ProblemCatalog.UnsupportedMediaType,
        "when the body is not declared as `application/json` (or `application/merge-patch+json` for PATCH) in UTF-8");

    public static readonly Failure ServiceUnavailable = new(ProblemCatalog.ServiceUnavailable,
        "when the service cannot answer right now, for instance while its database is overloaded; retry after the number of seconds in `Retry-After`",
        Header.RetryAfter);

    public static readonly Failure RateLimited = new(ProblemCatalog.RateLimited,
        "when the budget this request spends (`RateLimit-Policy`: the key's reads, GET and HEAD, or writes, every other method) is spent; nothing ran. Retry after the number of seconds in `Retry-After`",
        Header.RetryAfter);

    public int Status => ProblemCatalog.Kinds[Code].Status;

    /// <summary>"`code` when ...", as the contract words it.</summary>
    public override string ToString() => $"`{Code}` {When}";
}

public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// Declares how an endpoint (or every endpoint of a group) can fail. This one declaration gives the contract
    /// the problem answers, their headers, their descriptions and the operation's sentence about failures.
    /// </summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, params Failure[] failures)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(failures);
        builder.Add(endpoint =>
        {
            foreach (var failure in failures)
            {
                endpoint.Metadata.Add(failure);
                // A status a group already declared keeps its place among the answers.
                if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == failure.Status && m.Type == typeof(Problem)))
                {
                    endpoint.Metadata.Add(new ProducesResponseTypeMetadata(failure.Status, typeof(Problem), [ContentType]));
                }

                if (failure.Header is { } header)
                {
                    endpoint.Metadata.Add(new ResponseHeader(failure.Status, header));
                }
            }
        });
        return builder;
    }
}
