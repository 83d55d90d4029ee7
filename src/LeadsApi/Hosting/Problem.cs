using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;

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
/// <param name="Code">The stable code: validation-failed, malformed-json, unauthenticated, forbidden, lead-not-found, team-member-not-found, not-found, invalid-transition, lead-expired, concurrent-update, precondition-failed, method-not-allowed, unsupported-media-type, payload-too-large, bad-request, request-timeout, service-unavailable, internal-error.</param>
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? SupportedCharsets);

public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>Declares the problem answers an endpoint (or a group) can give, for the OpenAPI document.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return builder.WithMetadata([.. statuses.Select(status => new ProducesResponseTypeMetadata(status, typeof(Problem), [ContentType]))]);
    }
}
