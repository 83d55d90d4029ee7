using Microsoft.Net.Http.Headers;

namespace LeadsApi.Hosting;

/// <summary>
/// JSON between systems is UTF-8 (RFC 8259 section 8.1). A body that names another charset, or one the
/// framework does not know, is refused with 415 before anything reads it; <c>charset=utf-8</c> in any
/// spelling (quoted, upper case, utf8) is taken off so the JSON reader never has to look it up.
/// </summary>
public static class RequestCharset
{
    public static WebApplication UseUtf8RequestBodies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            var header = context.Request.ContentType;
            if (header is not null
                && MediaTypeHeaderValue.TryParse(header, out var mediaType)
                && mediaType.Charset.HasValue)
            {
                var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value ?? "";
                if (!UnsupportedCharsetException.Supported.Contains(charset, StringComparer.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UnsupportedCharsetException(charset);
                }

                mediaType.Charset = default;
                context.Request.ContentType = mediaType.ToString();
            }

            return next(context);
        });
        return app;
    }
}

/// <summary>A request body in a charset other than UTF-8; answered 415 <c>unsupported-media-type</c>.</summary>
public sealed class UnsupportedCharsetException(string charset)
    : Exception($"The body's charset '{Truncate(charset)}' is not supported: send JSON as UTF-8 (charset=utf-8, or no charset parameter).")
{
    public static readonly string[] Supported = ["utf-8"];

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
