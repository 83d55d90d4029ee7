using System.Globalization;
using LeadsApi.Problems;

namespace LeadsApi.Hosting;

/// <summary>
/// An id in a path, as the client wrote it. Binding takes any text, because a TryParse that failed would be
/// answered by the framework in its own words; <see cref="CanonicalIds.RequireCanonicalIds"/> refuses an id
/// that is not a GUID in its one form before any handler runs, naming the parameter. A handler reads it as
/// the <see cref="Guid"/> it then is.
/// </summary>
/// <param name="Text">The path segment.</param>
[PublishedAs(typeof(Guid))]
public readonly record struct PathId(string Text)
{
    public Guid Value => CanonicalIds.IsCanonical(Text) ? Guid.ParseExact(Text, CanonicalIds.Format)
        : throw new InvalidOperationException($"'{Text}' was not checked: map the endpoint with RequireCanonicalIds.");

    public static bool TryParse(string? text, IFormatProvider? provider, out PathId id)
    {
        id = new PathId(text ?? "");
        return true;
    }

    public static implicit operator Guid(PathId id) => id.Value;

    public Guid ToGuid() => Value;

    public override string ToString() => Value.ToString(CanonicalIds.Format, CultureInfo.InvariantCulture);

    /// <summary>What is wrong with the id, or null when it is a GUID in its one form.</summary>
    public string? Refusal() =>
        CanonicalIds.IsCanonical(Text) ? null
        : Guid.TryParse(Text, out _) ? $"{ValidationErrors.Quote(Text)} is not a valid value: an id is 36 characters, hex digits with dashes (0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11)."
        : ValidationErrors.NotValid(Text);
}

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
                .Select((parameter, index) => (parameter.Name!, index, parameter.ParameterType))
                .Where(p => p.ParameterType == typeof(PathId))
                .ToArray();
            if (ids.Length == 0)
            {
                return next;
            }

            return invocation =>
            {
                var errors = new ValidationErrors();
                foreach (var (name, index, _) in ids)
                {
                    if (invocation.GetArgument<PathId>(index).Refusal() is { } refusal)
                    {
                        errors.Add(name, refusal);
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
