using LeadsApi.Limits;

namespace LeadsApi.Problems;

/// <summary>A request whose shape can be checked before any handler runs.</summary>
public interface IValidatable
{
    void Validate(ValidationErrors errors);
}

/// <summary>Thrown when a request fails validation; becomes a 400 <c>validation-failed</c> problem.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is not valid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Reads a value from text, as int.TryParse does.</summary>
public delegate bool TryParse<T>(string text, out T value);

/// <summary>
/// Collects what is wrong with a request, field by field, in the JSON names the client sent, and
/// which <see cref="FieldLimits"/> entry each field was held to.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldLimit> _limits = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>The limit each checked field was held to, by its JSON path; the contract test compares them with the document.</summary>
    public IReadOnlyDictionary<string, FieldLimit> Limits => _limits;

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>What a client that sent text the parameter cannot read is told.</summary>
    /// <remarks>A + in a query string arrives as a space; a time offset written +01:00 is the usual victim.</remarks>
    public static string NotValid(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"{Quote(value)} is not a valid value."
            + (value.Contains(' ', StringComparison.Ordinal) ? " A + in a URL query means a space: send it as %2B." : "");
    }

    /// <summary>The value in quotes, cut after 40 characters.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"'{(value.Length <= 40 ? value : value[..40] + "...")}'";
    }

    /// <summary>A query value read by <paramref name="parse"/>, or null when it was not given or (then reported) could not be read.</summary>
    public T? Parse<T>(string field, string? text, TryParse<T> parse) where T : struct
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (text is null)
        {
            return null;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Add(field, NotValid(text));
        return null;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Whether a member whose limit is only that it be given was given; when it must be and is not, says so.</summary>
    /// <summary>A member required unless its alternative is given, and refused with it.</summary>
    public void Either<T>(string field, T? value, bool alternativeGiven, AlternativeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (value is null && !alternativeGiven)
        {
            Add(field, $"Required, unless {limit.Instead} is given.");
        }
        else if (value is not null && alternativeGiven)
        {
            Add(field, $"Leave it out when {limit.Instead} is given (or leave {limit.Instead} out).");
        }
    }

    public bool Given<T>(string field, T? value, PresenceLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        return Present(field, value, limit.Required);
    }

    /// <summary>Whether an item of a list is there: a list holds no nulls.</summary>
    public bool Item<T>(string field, T? value) => Present(field, value, required: true);

    private bool Present<T>(string field, T? value, bool required)
    {
        if (value is null && required)
        {
            Add(field, "Required.");
        }

        return value is not null;
    }

    public void Text(string field, string? value, TextLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        // Blank is what the pattern of required text refuses too; this only words it as a client expects.
        if (value is null || (limit.Required && string.IsNullOrWhiteSpace(value)))
        {
            if (limit.Required)
            {
                Add(field, "Required.");
            }

            return;
        }

        if (limit.Refuse(value) is { } message)
        {
            Add(field, message);
        }
    }

    public void Code(string field, string? value, CodeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (value is null)
        {
            if (limit.Required)
            {
                Add(field, "Required.");
            }

            return;
        }

        if (!limit.Codes.Contains(value))
        {
            Add(field, limit.Message);
        }
    }

    public void Amount(string field, decimal? amount, AmountLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (Present(field, amount, limit.Required) && limit.Refuse(amount!.Value) is { } message)
        {
            Add(field, message);
        }
    }

    public void Count<T>(string field, IReadOnlyCollection<T>? items, CountLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (Present(field, items, limit.Required) && (items!.Count > limit.MaxItems || items.Count < limit.MinItems))
        {
            Add(field, $"{limit.Rule[..^1]} (got {items.Count}).");
        }
    }

    /// <summary>
    /// Refuses the query parameters a call does not take, like unknown JSON members: a misspelt filter would silently be ignored.
    /// </summary>
    public void Unknown(IEnumerable<string> sent, IReadOnlyCollection<string> names)
    {
        foreach (var name in sent.Except(names, StringComparer.OrdinalIgnoreCase))
        {
            Add(name, $"Not a parameter of this call; it takes {string.Join(", ", names)}.");
        }
    }

    public void Codes(string field, IReadOnlyList<string>? items, CodeListLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (items is null || items.Count == 0)
        {
            if (limit.Required)
            {
                Add(field, items is null ? "Required." : $"At least one of {string.Join(", ", limit.Codes.Codes)}.");
            }

            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null || !limit.Codes.Codes.Contains(items[i]))
            {
                Add($"{field}[{i}]", limit.Codes.Message);
            }
            else if (items.Take(i).Contains(items[i], StringComparer.Ordinal))
            {
                Add($"{field}[{i}]", $"{Quote(items[i])} is already in the list; name each of the {limit.Items} once.");
            }
        }
    }

    public void Range(string field, int? value, RangeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (value is { } given && (given < limit.Minimum || given > limit.Maximum))
        {
            Add(field, limit.Rule);
        }
    }

    /// <summary>
    /// A simple list's <c>limit</c> and <c>cursor</c>: the page size within <paramref name="pageSize"/> (its default when
    /// left out), and the cursor a previous page handed out, or an error naming the parameter that is not one.
    /// </summary>
    public (int Limit, TCursor? Cursor) Page<TCursor>(string? limit, string? cursor, RangeLimit pageSize) where TCursor : class
    {
        ArgumentNullException.ThrowIfNull(pageSize);
        var size = Parse<int>("limit", limit, Hosting.QueryValues.WholeNumber);
        Range("limit", size, pageSize);
        TCursor? decoded = null;
        if (cursor is not null && (decoded = Hosting.OpaqueCursor.Decode<TCursor>(cursor)) is null)
        {
            Add("cursor", "Not a cursor of this list; start again without one.");
        }

        return (size ?? pageSize.Default, decoded);
    }

    /// <summary>A list of texts: its length, and each item (named <c>field[i]</c>) against the item's limit.</summary>
    public void Texts(string field, IReadOnlyList<string>? items, TextListLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (items is null)
        {
            return;
        }

        if (items.Count > limit.MaxItems)
        {
            Add(field, $"{limit.Rule.Split(';')[0]} (got {items.Count}).");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                Add($"{field}[{i}]", "Required.");
            }
            else if (string.IsNullOrWhiteSpace(items[i]) && limit.Item.Required)
            {
                Add($"{field}[{i}]", "Required.");
            }
            else if (limit.Item.Refuse(items[i]) is { } message)
            {
                Add($"{field}[{i}]", message);
            }
        }
    }

    public void Whole(string field, int? value, WholeNumberLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _limits[field] = limit;
        if (value is { } given && limit.Refuse(given) is { } message)
        {
            Add(field, message);
        }
    }
}
