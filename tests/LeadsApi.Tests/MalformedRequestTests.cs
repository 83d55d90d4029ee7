using System.Net;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// Requests the API cannot even read (bad JSON, wrong types, members it does not have, ids that are not
/// ids, bodies that are not JSON) get a 4xx problem naming what to fix, never a 500, and change nothing.
/// </summary>
public sealed class MalformedRequestTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    public static TheoryData<string> Commands => ["create", "accept", "decline", "edit", "addTeamMember", "markWon", "markLost"];

    [Theory]
    [InlineData("""{ "dealName": """)]
    [InlineData("""{ "dealName": "Fabrikam move", }""")]
    [InlineData("""{ dealName: "Fabrikam move" }""")]
    [InlineData("""{ 'dealName': 'Fabrikam move' }""")]
    [InlineData("""{ /* the deal */ "dealName": "Fabrikam move" }""")]
    [InlineData("""{ "dealName": "Fabrikam move" } { }""")]
    [InlineData("deal name: Fabrikam move")]
    public async Task Accept_WithInvalidJsonSyntax_Returns400MalformedJson(string body)
    {
        var command = await CommandAsync("accept");

        var response = await command.SendAsync(body);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_WithTruncatedJson_Returns400MalformedJson(string action)
    {
        var command = await CommandAsync(action);
        var json = command.ValidJson;

        var response = await command.SendAsync(json[..(json.Length / 2)]);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [InlineData("accept", "")]
    [InlineData("accept", "null")]
    [InlineData("decline", "")]
    [InlineData("edit", "")]
    [InlineData("create", "")]
    public async Task Command_WithAnEmptyBody_Returns400MalformedJson(string action, string body)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(body);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
        Assert.Equal("A JSON body is required.", problem.Str("detail"));
        await command.ShouldHaveChangedNothingAsync();
    }

    // Binding stops at the first value it cannot read, so these bodies need nothing else.
    [Theory]
    [InlineData("accept", """{ "estimatedValue": { "amount": "12000.00", "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("accept", """{ "dealName": 42 }""", "dealName")]
    [InlineData("accept", """{ "dealName": ["Fabrikam move"] }""", "dealName")]
    [InlineData("accept", """{ "estimatedCloseDate": "31/01/2027" }""", "estimatedCloseDate")]
    [InlineData("accept", """{ "contacts": { "name": "Li Wei" } }""", "contacts")]
    [InlineData("accept", """{ "contacts": [ { "name": "Li Wei", "email": true } ] }""", "contacts[0].email")]
    [InlineData("create", """{ "customer": [] }""", "customer")]
    [InlineData("create", """{ "customer": "Fabrikam Ltd" }""", "customer")]
    [InlineData("create", """{ "customer": { "companyName": 1 } }""", "customer.companyName")]
    [InlineData("create", """{ "partnerId": "not-a-guid" }""", "partnerId")]
    [InlineData("create", """{ "contactRequested": "yes" }""", "contactRequested")]
    [InlineData("markWon", """{ "closedOn": 20270120 }""", "closedOn")]
    [InlineData("markWon", """{ "finalValue": 11500 }""", "finalValue")]
    [InlineData("edit", """{ "estimatedValue": { "amount": 1e400, "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("edit", """{ "notes": 7 }""", "notes")]
    [InlineData("addTeamMember", """{ "name": { "first": "Sam" } }""", "name")]
    public async Task Command_WithAValueOfTheWrongJsonType_Returns400NamingTheField(string action, string body, string field)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(body);

        await response.ShouldFailValidationAsync(field);
        await command.ShouldHaveChangedNothingAsync();
    }

    // The rest of each body is valid: bound leniently, these requests would succeed.
    [Theory]
    [InlineData("accept", "status", "\"won\"")]
    [InlineData("accept", "id", "\"0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11\"")]
    [InlineData("accept", "etag", "\"\\\"1\\\"\"")]
    [InlineData("accept", "acceptedAt", "\"2026-11-24T10:00:00Z\"")]
    [InlineData("accept", "estimatedValue.rate", "1.1")]
    [InlineData("accept", "contacts[0].role", "\"owner\"")]
    [InlineData("create", "status", "\"accepted\"")]
    [InlineData("create", "sender", """{ "kind": "platformSales" }""")]
    [InlineData("create", "customer.vip", "true")]
    [InlineData("decline", "closedAt", "\"2026-11-24T10:00:00Z\"")]
    [InlineData("edit", "status", "\"won\"")]
    [InlineData("edit", "team", "[]")]
    [InlineData("addTeamMember", "id", "\"0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11\"")]
    [InlineData("markWon", "outcome", "{}")]
    [InlineData("markLost", "allowedActions", "[]")]
    public async Task Command_WithAnUnknownOrReadOnlyMember_Returns400NamingItAndChangesNothing(string action, string path, string json)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(Api.With(command.ValidBody, path, json));

        var problem = await response.ShouldFailValidationAsync(path);
        Assert.Contains("Not a member", problem.GetProperty("errors").GetProperty(path)[0].GetString(), StringComparison.Ordinal);
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [InlineData("decline", "reason", "\"bored\"")]
    [InlineData("decline", "reason", "\"\"")]
    [InlineData("decline", "reason", "1")]
    [InlineData("decline", "reason", "\"1\"")]
    [InlineData("decline", "reason", "\"NotAFit\"")]
    [InlineData("decline", "reason", "\"notAFit, other\"")]
    [InlineData("markLost", "reason", "\"bored\"")]
    [InlineData("markLost", "reason", "0")]
    [InlineData("create", "type", "\"hotLead\"")]
    [InlineData("create", "type", "1")]
    [InlineData("create", "customer.companySize", "\"huge\"")]
    public async Task Command_WithAValueNotInTheEnum_Returns400NamingTheField(string action, string path, string json)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(Api.With(command.ValidBody, path, json));

        await response.ShouldFailValidationAsync(path);
        await command.ShouldHaveChangedNothingAsync();
    }

    // The enum reader used to take "a, b" as the bitwise OR of both: an undefined value that was stored,
    // after which every read of the lead, and of the partner's list, was a 500.
    [Theory]
    [InlineData("type", "\"marketingQualified, salesQualified\"")]
    [InlineData("customer.companySize", "\"large, enterprise\"")]
    public async Task CreateLead_WithTwoEnumValuesInOne_Returns400AndTheListStillReads(string path, string json)
    {
        var command = await CommandAsync("create");

        var response = await command.SendAsync(Api.With(command.ValidBody, path, json));

        await response.ShouldFailValidationAsync(path);
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [InlineData("GET", "/v1/leads/not-a-guid", "id")]
    [InlineData("GET", "/v1/leads/not-a-guid/timeline", "id")]
    [InlineData("POST", "/v1/leads/not-a-guid/accept", "id")]
    [InlineData("POST", "/v1/leads/not-a-guid/decline", "id")]
    [InlineData("PATCH", "/v1/leads/not-a-guid", "id")]
    [InlineData("POST", "/v1/leads/not-a-guid/team", "id")]
    [InlineData("PUT", "/v1/leads/not-a-guid/favorite", "id")]
    [InlineData("DELETE", "/v1/leads/{lead}/team/not-a-guid", "memberId")]
    [InlineData("DELETE", "/v1/leads/{lead}/team/1234", "memberId")]
    public async Task Path_WithAnIdThatIsNotAGuid_Returns400NamingIt(string method, string path, string parameter)
    {
        var command = await CommandAsync("addTeamMember");

        var response = await command.Client.SendAsync(new HttpMethod(method), path.Replace("{lead}", command.Lead.Id(), StringComparison.Ordinal), "{}");

        await response.ShouldFailValidationAsync(parameter);
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [InlineData("accept", "text/plain")]
    [InlineData("accept", "application/xml")]
    [InlineData("accept", null)]
    [InlineData("decline", "application/x-www-form-urlencoded")]
    [InlineData("create", "text/json-ish")]
    [InlineData("edit", "text/plain")]
    [InlineData("addTeamMember", "multipart/form-data; boundary=x")]
    public async Task Command_WithABodyThatIsNotDeclaredJson_Returns415(string action, string? contentType)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(command.ValidJson, contentType);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await command.ShouldHaveChangedNothingAsync();
    }

    public static TheoryData<string, string> CommandsWithForeignCharsets()
    {
        var data = new TheoryData<string, string>();
        foreach (var action in Commands)
        {
            foreach (var charset in new[] { "bogus", "windows-1252", "iso-8859-2", "utf-16", "\"latin1\"" })
            {
                data.Add(action, charset);
            }
        }

        return data;
    }

    // The framework looked the charset up and threw for any it did not know: a 500 on every body endpoint.
    [Theory]
    [MemberData(nameof(CommandsWithForeignCharsets))]
    public async Task Command_WithACharsetOtherThanUtf8_Returns415NamingUtf8(string action, string charset)
    {
        var command = await CommandAsync(action);

        var response = await command.SendAsync(command.ValidJson, $"application/json; charset={charset}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Contains("UTF-8", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(["utf-8"], problem.Strings("supportedCharsets"));
        await command.ShouldHaveChangedNothingAsync();
    }

    [Theory]
    [InlineData("create", "utf-8")]
    [InlineData("create", "\"utf-8\"")]
    [InlineData("accept", "UTF-8")]
    [InlineData("edit", "utf8")]
    public async Task Command_WithUtf8NamedInAnySpelling_Succeeds(string action, string charset)
    {
        var command = await CommandAsync(action);
        var contentType = action == "edit" ? "application/merge-patch+json" : "application/json";

        var response = await command.SendAsync(command.ValidJson, $"{contentType}; charset={charset}");

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // Guid's parser takes all of these; one lead has one address, so they are refused like any other bad id.
    [Theory]
    [InlineData("GET", "/v1/leads/{{lead}}")]
    [InlineData("GET", "/v1/leads/({lead})")]
    [InlineData("GET", "/v1/leads/{lead:N}")]
    [InlineData("GET", "/v1/leads/{lead}%20")]
    [InlineData("GET", "/v1/leads/%20{lead}")]
    [InlineData("POST", "/v1/leads/{lead:N}/team")]
    [InlineData("PUT", "/v1/leads/{{lead}}/favorite")]
    public async Task Path_WithALeadIdInANonCanonicalForm_Returns400NamingIt(string method, string template, string parameter = "id")
    {
        var command = await CommandAsync("addTeamMember");
        var id = Guid.Parse(command.Lead.Id());
        var path = template.Replace("{lead:N}", id.ToString("N"), StringComparison.Ordinal).Replace("{lead}", id.ToString(), StringComparison.Ordinal);

        var response = await command.Client.SendAsync(new HttpMethod(method), path, "{}");

        var problem = await response.ShouldFailValidationAsync(parameter);
        Assert.Contains("36 characters", problem.GetProperty("errors").GetProperty(parameter)[0].GetString(), StringComparison.Ordinal);
        await command.ShouldHaveChangedNothingAsync();
    }

    [Fact]
    public async Task Path_WithALeadIdInUpperCase_ReadsTheLead()
    {
        var command = await CommandAsync("addTeamMember");

        var lead = await command.Client.GetJsonAsync($"/v1/leads/{command.Lead.Id().ToUpperInvariant()}");

        Assert.Equal(command.Lead.Id(), lead.Id());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=10&limit=20", "limit")]
    [InlineData("hot=maybe", "hot")]
    [InlineData("hot=1", "hot")]
    [InlineData("updatedSince=yesterday", "updatedSince")]
    [InlineData("updatedSince=2026-13-01T00:00:00Z", "updatedSince")]
    public async Task ListLeads_WithAQueryValueOfTheWrongType_Returns400NamingTheParameter(string query, string parameter)
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.GetAsync($"/v1/leads?{query}");

        await response.ShouldFailValidationAsync(parameter);
    }

    /// <summary>A fresh lead in the state the action needs, who may act on it, and a body the action accepts.</summary>
    private async Task<Command> CommandAsync(string action)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        if (action == "create")
        {
            return new Command(partner, sender.Client, HttpMethod.Post, "/v1/leads", Api.NewLeadBody(partner.PartnerId), Lead: default);
        }

        var lead = action is "accept" or "decline" ? await sender.CreateLeadAsync(partner.PartnerId) : await sender.AcceptedLeadAsync(partner);
        var (method, path, body) = Api.ActionRequest(action, lead);
        return new Command(partner, partner.Admin, method, path, body!, lead);
    }

    private sealed record Command(PartnerClients Partner, HttpClient Client, HttpMethod Method, string Path, object ValidBody, JsonElement Lead)
    {
        public string ValidJson => JsonSerializer.Serialize(ValidBody);

        public Task<HttpResponseMessage> SendAsync(string json, string? contentType = "application/json") =>
            Client.SendAsync(Method, Path, json, contentType);

        /// <summary>The lead reads as before; for a create, the partner still has no lead and its list still reads.</summary>
        public async Task ShouldHaveChangedNothingAsync()
        {
            if (Lead.ValueKind == JsonValueKind.Undefined)
            {
                Assert.Empty((await Partner.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray());
                return;
            }

            await Partner.Admin.ShouldBeUnchangedAsync(Lead);
        }
    }
}
