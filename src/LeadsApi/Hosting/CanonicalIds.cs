using LeadsApi.Problems;

namespace LeadsApi.Hosting;

/// <summary>
/// Ids in paths take one form: 36 characters, hex digits in 8-4-4-4-12 groups, either case. Guid's own
/// parser would also take braces, parentheses, no dashes and surrounding spaces (a trailing %20), so one
/// lead would have many addresses; those are refused with 400 naming the parameter, as other bad ids are.
/// </summary>
public static class CanonicalIds
{
    public const string Format = "D";

    public static TBuilder RequireCanonicalIds<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var ids = context.MethodInfo.GetParameters()
                .Where(p => p.ParameterType == typeof(Guid) || p.ParameterType == typeof(Guid?))
                .Select(p => p.Name!)
                .ToArray();
            if (ids.Length == 0)
            {
                return next;
            }

            return invocation =>
            {
                var route = invocation.HttpContext.Request.RouteValues;
                var errors = new ValidationErrors();
                foreach (var name in ids)
                {
                    if (route.TryGetValue(name, out var value) && value is string text && !IsCanonical(text))
                    {
                        errors.Add(name, $"'{(text.Length <= 40 ? text : text[..40] + "...")}' is not a valid value: an id is 36 characters, hex digits with dashes (0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11).");
                    }
                }

                return errors.IsEmpty ? next(invocation) : throw new RequestValidationException(errors.ToDictionary());
            };
        });
        return builder;
    }

    // Guid.TryParseExact ignores surrounding white space, so the length is checked too.
    public static bool IsCanonical(string text) => text.Length == 36 && Guid.TryParseExact(text, Format, out _);
}
