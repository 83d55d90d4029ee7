using System.Globalization;

namespace LeadsApi.Hosting;

/// <summary>
/// How the API reads query values it binds as text: as the framework read them when it bound them itself,
/// in the invariant culture whatever the server's, so the values a client may send stay the same.
/// </summary>
public static class QueryValues
{
    public static bool WholeNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>A time without an offset is UTC.</summary>
    public static bool Timestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);
}
