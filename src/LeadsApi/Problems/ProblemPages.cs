using System.Net;
using System.Text;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadsApi.Problems;

/// <summary>Serves <c>/problems/{code}</c>: the short human-readable page each problem's <c>type</c> points to.</summary>
public static class ProblemPages
{
    public static IEndpointRouteBuilder MapProblemPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/problems/{code}", GetProblemPage)
            .WithName("getProblemType")
            .ExcludeFromDescription()
            .AllowAnonymous()
            .DisableRateLimiting();
        return app;
    }

    private static IResult GetProblemPage(string code)
    {
        if (!ProblemCatalog.Kinds.TryGetValue(code, out var kind))
        {
            return TypedResults.Problem(ProblemFactory.Create(ProblemCatalog.NotFound, $"There is no problem type '{code}'."));
        }

        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(kind.Title))
            .Append("</title></head><body><h1>")
            .Append(WebUtility.HtmlEncode(kind.Title))
            .Append("</h1><p><code>").Append(WebUtility.HtmlEncode(code)).Append("</code> &middot; HTTP ").Append(kind.Status)
            .Append("</p><p>").Append(WebUtility.HtmlEncode(kind.Description))
            .Append("</p><p><a href=\"/swagger\">API reference</a></p></body></html>")
            .ToString();
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
