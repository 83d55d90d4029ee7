using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// Every problem's type is a page the API serves to anyone, with the problem's title; and addresses or
/// methods the API does not have are problems too.
/// </summary>
public sealed class ProblemPagesTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Theory]
    [InlineData("validation-failed", "The request is not valid")]
    [InlineData("malformed-json", "The request body is not valid JSON")]
    [InlineData("unauthenticated", "An API key or token is required")]
    [InlineData("forbidden", "Your key may not do this")]
    [InlineData("lead-not-found", "The lead does not exist")]
    [InlineData("team-member-not-found", "The team member does not exist")]
    [InlineData("not-found", "Nothing lives at this address")]
    [InlineData("method-not-allowed", "This method is not allowed here")]
    [InlineData("invalid-transition", "The lead's status does not allow this action")]
    [InlineData("lead-expired", "The lead has expired")]
    [InlineData("concurrent-update", "The lead changed while your request ran")]
    [InlineData("precondition-failed", "The lead has changed since you read it")]
    [InlineData("unsupported-media-type", "The body must be UTF-8 JSON")]
    [InlineData("bad-request", "The request could not be read")]
    [InlineData("request-timeout", "The request body did not arrive in time")]
    [InlineData("service-unavailable", "The service cannot take this request right now")]
    [InlineData("payload-too-large", "The request body is too large")]
    [InlineData("internal-error", "Something went wrong on our side")]
    public async Task ProblemPage_ForACode_Returns200HtmlShowingItsTitleWithoutAKey(string code, string title)
    {
        var response = await api.CreateClient().GetAsync($"/problems/{code}");

        var page = await PageTextAsync(response);
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains(code, page, StringComparison.Ordinal);
    }

    // docs/errors.md is what people read before they write a client; a code it lacks is one nobody handles.
    [Fact]
    public void ErrorsDoc_NamesEveryCodeWithItsStatus()
    {
        var doc = File.ReadAllText(Path.Combine(LeadsApi.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory)!, "docs", "errors.md"));

        foreach (var (code, kind) in LeadsApi.Problems.ProblemCatalog.Kinds)
        {
            Assert.Contains($"| {kind.Status} | `{code}` |", doc, StringComparison.Ordinal);
        }
    }

    // Follows the type of real answers, so a code the API answers with but has no page for shows up here.
    [Theory]
    [InlineData("validation-failed", HttpStatusCode.BadRequest)]
    [InlineData("malformed-json", HttpStatusCode.BadRequest)]
    [InlineData("unauthenticated", HttpStatusCode.Unauthorized)]
    [InlineData("forbidden", HttpStatusCode.Forbidden)]
    [InlineData("lead-not-found", HttpStatusCode.NotFound)]
    [InlineData("team-member-not-found", HttpStatusCode.NotFound)]
    [InlineData("not-found", HttpStatusCode.NotFound)]
    [InlineData("method-not-allowed", HttpStatusCode.MethodNotAllowed)]
    [InlineData("invalid-transition", HttpStatusCode.Conflict)]
    [InlineData("lead-expired", HttpStatusCode.Conflict)]
    [InlineData("precondition-failed", HttpStatusCode.PreconditionFailed)]
    [InlineData("unsupported-media-type", HttpStatusCode.UnsupportedMediaType)]
    public async Task ProblemType_OfAnAnswer_IsAPageShowingTheAnswersTitle(string code, HttpStatusCode status)
    {
        var response = await AnswerWithAsync(code);
        var problem = await response.ShouldBeProblemAsync(status, code);

        var page = await api.CreateClient().GetAsync(problem.Str("type"));

        Assert.Contains(problem.Str("title"), await PageTextAsync(page), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("Validation-Failed")]
    [InlineData("validation-failed.html")]
    public async Task ProblemPage_ForAnUnknownCode_Returns404NotFoundProblem(string code)
    {
        var response = await api.CreateClient().GetAsync($"/problems/{code}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("/v1/nothing")]
    [InlineData("/v2/leads")]
    [InlineData("/v1/leads/{lead}/archive")]
    [InlineData("/v1/leads/{lead}/team/{lead}/name")]
    [InlineData("/problems")]
    public async Task UnknownPath_Returns404NotFoundProblemWithOrWithoutAKey(string path)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var address = path.Replace("{lead}", lead.Id(), StringComparison.Ordinal);

        var withKey = await partner.Admin.GetAsync(address);
        var withoutKey = await api.CreateClient().GetAsync(address);

        await withKey.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
        await withoutKey.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("PUT", "/v1/leads/{lead}/accept", "POST")]
    [InlineData("GET", "/v1/leads/{lead}/accept", "POST")]
    [InlineData("PATCH", "/v1/leads/{lead}/decline", "POST")]
    [InlineData("DELETE", "/v1/leads", "GET,POST")]
    [InlineData("POST", "/v1/leads/{lead}", "GET,PATCH")]
    [InlineData("POST", "/v1/leads/{lead}/favorite", "DELETE,PUT")]
    [InlineData("POST", "/problems/forbidden", "GET")]
    public async Task WrongMethod_Returns405ProblemNamingTheAllowedMethods(string method, string path, string allowed)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var response = await partner.Admin.SendAsync(new HttpMethod(method), path.Replace("{lead}", lead.Id(), StringComparison.Ordinal), "{}");

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.Equal(allowed.Split(','), response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    /// <summary>Asserts a 200 HTML page and returns its text with entities decoded (&amp;#39; reads as ').</summary>
    private static async Task<string> PageTextAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200 but got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return WebUtility.HtmlDecode(html);
    }

    /// <summary>Makes the API answer with the problem of that code.</summary>
    private async Task<HttpResponseMessage> AnswerWithAsync(string code)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var id = lead.Id();
        switch (code)
        {
            case "validation-failed": return await partner.Admin.PostJsonAsync($"/v1/leads/{id}/decline", "{}");
            case "malformed-json": return await partner.Admin.PostJsonAsync($"/v1/leads/{id}/decline", "{");
            case "unauthenticated": return await api.CreateClient().GetAsync($"/v1/leads/{id}");
            case "forbidden": return await partner.Reader.PostAsJsonAsync($"/v1/leads/{id}/decline", Api.DeclineBody);
            case "lead-not-found": return await (await api.NewPartnerAsync()).Admin.GetAsync($"/v1/leads/{id}");
            case "not-found": return await partner.Admin.GetAsync("/v1/nothing");
            case "method-not-allowed": return await partner.Admin.PutAsync($"/v1/leads/{id}/accept", null);
            case "unsupported-media-type": return await partner.Admin.SendAsync(HttpMethod.Post, $"/v1/leads/{id}/decline", "{}", "text/plain");
            case "invalid-transition": return await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/won", Api.WonBody);
            case "lead-expired":
                // Past respondBy (14 days by default); nothing else in this class depends on the clock.
                api.Clock.Advance(TimeSpan.FromDays(15));
                return await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/accept", Api.AcceptBody);
        }

        var accepted = await sender.AcceptedLeadAsync(partner);
        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/v1/leads/{accepted.Id()}") { Content = JsonContent.Create(Api.EditBody) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        return code switch
        {
            "team-member-not-found" => await partner.Admin.DeleteAsync($"/v1/leads/{accepted.Id()}/team/{Guid.NewGuid()}"),
            "precondition-failed" => await partner.Admin.SendAsync(stale),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "No way to make the API answer with it."),
        };
    }
}
