using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace LeadsApi.Problems;

/// <summary>Builds problem details that always carry a stable <c>code</c> and its <c>type</c> page.</summary>
public static class ProblemFactory
{
    public static ProblemDetails Create(string code, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var kind = ProblemCatalog.Kinds[code];
        var problem = new ProblemDetails
        {
            Type = ProblemCatalog.TypeUri(code),
            Title = kind.Title,
            Status = kind.Status,
            Detail = detail ?? kind.Description,
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    public static ProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Create(
            ProblemCatalog.ValidationFailed,
            $"{errors.Count} field(s) are not valid: {string.Join(", ", errors.Keys)}.",
            new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>Fills in code, type and title for problems the framework produced on its own (404, 405, 415...).</summary>
    public static void Complete(ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Extensions.TryGetValue("code", out var existing) && existing is string)
        {
            return;
        }

        var code = ProblemCatalog.ForStatus(problem.Status ?? 500);
        var kind = ProblemCatalog.Kinds[code];
        problem.Extensions["code"] = code;
        problem.Type = ProblemCatalog.TypeUri(code);
        problem.Title = kind.Title;
        problem.Detail ??= kind.Description;
        problem.Status ??= kind.Status;
        problem.Extensions.Remove("traceId");
    }

    /// <summary>The field a JSON path such as <c>$.estimatedValue.currency</c> or <c>$.contacts[0].email</c> names.</summary>
    public static string FieldOf(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var path = exception.Path ?? "$";
        return path == "$" ? "body" : path.TrimStart('$').TrimStart('.');
    }
}
