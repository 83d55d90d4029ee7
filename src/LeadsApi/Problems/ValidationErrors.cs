using System.Net.Mail;
using System.Text.RegularExpressions;

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

/// <summary>Collects what is wrong with a request, field by field, in the JSON names the client sent.</summary>
public sealed partial class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public bool Required<T>(string field, T? value)
    {
        var present = value switch
        {
            null => false,
            string text => !string.IsNullOrWhiteSpace(text),
            _ => true,
        };
        if (!present)
        {
            Add(field, "Required.");
        }

        return present;
    }

    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"At most {max} characters (got {value.Length}).");
        }

        // PostgreSQL text cannot hold U+0000: let through, it fails the write and the client sees a 500.
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            Add(field, "Must not contain the NUL character (U+0000).");
        }
    }

    public void RequiredText(string field, string? value, int max)
    {
        if (Required(field, value))
        {
            MaxLength(field, value, max);
        }
    }

    public void Email(string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        MaxLength(field, value, 254);
        if (!MailAddress.TryCreate(value, out var address) || address.Address != value || !value.Contains('@', StringComparison.Ordinal))
        {
            Add(field, "Not a valid email address.");
        }
    }

    public void Phone(string field, string? value)
    {
        if (value is not null && !PhonePattern().IsMatch(value))
        {
            Add(field, "Not a valid phone number: digits, spaces and + ( ) - . only, at most 40 characters.");
        }
    }

    public void Country(string field, string? value)
    {
        if (value is not null && !IsoCodes.Countries.Contains(value))
        {
            Add(field, "Not an ISO 3166-1 alpha-2 country code, e.g. PT or DE.");
        }
    }

    public void Amount(string field, decimal? amount)
    {
        if (!Required(field, amount))
        {
            return;
        }

        if (amount < 0 || amount > 1_000_000_000_000m)
        {
            Add(field, "Must be between 0 and 1000000000000.");
        }
        else if (decimal.Round(amount!.Value, 4) != amount)
        {
            Add(field, "At most four decimal places.");
        }
    }

    public void Currency(string field, string? value)
    {
        if (Required(field, value) && !IsoCodes.Currencies.Contains(value!))
        {
            Add(field, "Not an ISO 4217 currency code, e.g. EUR or USD.");
        }
    }

    [GeneratedRegex(@"^\+?[0-9 ()\-.]{3,40}$")]
    private static partial Regex PhonePattern();
}
