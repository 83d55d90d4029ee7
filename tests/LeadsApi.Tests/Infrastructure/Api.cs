using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>Requests and checks as a client writes them: JSON in, JSON out, nothing from the server's own types.</summary>
public static class Api
{
    public static object NewLeadBody(
        Guid partnerId,
        string type = "customerInquiry",
        bool contactRequested = false,
        string? externalId = null,
        string companyName = "Fabrikam Ltd",
        string need = "Move 40 mailboxes and set up Teams") => new
        {
            partnerId,
            type,
            customer = new
            {
                companyName,
                contactName = "Ana Silva",
                email = "ana@fabrikam.example",
                phone = "+351 21 000 0000",
                country = "PT",
                companySize = "small",
                industry = "retail",
            },
            need,
            contactRequested,
            campaignId = "CMP-2026-11",
            externalId,
        };

    public static readonly object AcceptBody = new
    {
        dealName = "Fabrikam mailbox move",
        estimatedValue = new { amount = 12000.00m, currency = "EUR" },
        estimatedCloseDate = "2027-01-31",
        notes = "Tenant-to-tenant move",
        crmId = "CRM-991",
        contacts = new[] { new { name = "Li Wei", phone = "+351 21 000 0001", email = "li@contoso.example" } },
    };

    public static readonly object DeclineBody = new { reason = "notAFit", notes = "We do not serve retail" };
    /// <summary>A won body of the right shape; its closedOn suits only a lead accepted on the clock's first day (use <see cref="WonBodyFor"/>).</summary>
    public static readonly object WonBody = new { finalValue = new { amount = 11500.00m, currency = "EUR" }, closedOn = "2026-11-24", notes = "Signed" };

    /// <summary>A won body closed on the day the lead was accepted: valid whatever the clock says now.</summary>
    public static object WonBodyFor(JsonElement acceptedLead) => new
    {
        finalValue = new { amount = 11500.00m, currency = "EUR" },
        closedOn = acceptedLead.GetProperty("acceptedAt").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        notes = "Signed",
    };
    public static readonly object LostBody = new { reason = "competitor", notes = "Chose a local firm" };

    public static async Task<JsonElement> CreateLeadAsync(this SenderClient sender, Guid partnerId, string type = "customerInquiry", bool contactRequested = false)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var response = await sender.Client.PostAsJsonAsync("/v1/leads", NewLeadBody(partnerId, type, contactRequested));
        return await response.ShouldBeAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> AcceptedLeadAsync(this SenderClient sender, PartnerClients partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var accepted = await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", AcceptBody);
        return await accepted.ShouldBeAsync(HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json, string contentType = "application/merge-patch+json") =>
        client.PatchAsync(path, new StringContent(json, Encoding.UTF8, contentType));

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.GetAsync(path)).ShouldBeAsync(HttpStatusCode.OK);
    }

    /// <summary>Asserts the status and returns the JSON body (or default for an empty body).</summary>
    public static async Task<JsonElement> ShouldBeAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        // Every answer, success or problem, carries the id to quote (and to find in the logs).
        Assert.True(response.Headers.TryGetValues("X-Correlation-Id", out var ids) && !string.IsNullOrWhiteSpace(ids.Single()), $"No X-Correlation-Id on a {(int)response.StatusCode}.");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with the status and code, and returns it.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await response.ShouldBeAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal($"/problems/{code}", problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem naming exactly these fields.</summary>
    public static async Task<JsonElement> ShouldFailValidationAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(fields.Order().ToArray(), named);
        return problem;
    }

    public static string Id(this JsonElement lead) => lead.GetProperty("id").GetString()!;

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static DateTimeOffset Time(this JsonElement element, string property) => element.GetProperty(property).GetDateTimeOffset();

    public static string[] Strings(this JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    public static readonly object EditBody = new { dealName = "Fabrikam move, phase 1" };
    public static readonly object TeamMemberBody = new { name = "Sam Shaw", phone = "+351 21 000 0002", email = "sam@contoso.example" };

    /// <summary>
    /// An action of the contract's allowedActions vocabulary on a lead: its method, path, and a body it
    /// accepts (null for none). removeTeamMember removes the lead's first team member.
    /// </summary>
    public static (HttpMethod Method, string Path, object? Body) ActionRequest(string action, JsonElement lead) => action switch
    {
        "accept" => (HttpMethod.Post, $"/v1/leads/{lead.Id()}/accept", AcceptBody),
        "decline" => (HttpMethod.Post, $"/v1/leads/{lead.Id()}/decline", DeclineBody),
        "edit" => (HttpMethod.Patch, $"/v1/leads/{lead.Id()}", EditBody),
        "addTeamMember" => (HttpMethod.Post, $"/v1/leads/{lead.Id()}/team", TeamMemberBody),
        "removeTeamMember" => (HttpMethod.Delete, $"/v1/leads/{lead.Id()}/team/{lead.GetProperty("team")[0].Id()}", null),
        "markWon" => (HttpMethod.Post, $"/v1/leads/{lead.Id()}/won", WonBodyFor(lead)),
        "markLost" => (HttpMethod.Post, $"/v1/leads/{lead.Id()}/lost", LostBody),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not an action of the contract."),
    };

    /// <summary>Sends the JSON text (none when null) with the content type (none when null).</summary>
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? json, string? contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// Reads the lead again and asserts that a rejected request left its status and version as they were (the version
    /// part of the ETag: <paramref name="before"/> may be another caller's representation, the sender's create answer).
    /// </summary>
    public static async Task ShouldBeUnchangedAsync(this HttpClient client, JsonElement before)
    {
        var after = await client.GetJsonAsync($"/v1/leads/{before.Id()}");
        Assert.Equal(before.Str("status"), after.Str("status"));
        Assert.Equal(VersionOf(before.Str("etag")), VersionOf(after.Str("etag")));
    }

    /// <summary>The lead's row version in an ETag <c>"&lt;version&gt;-&lt;state&gt;"</c>: what every change to the lead bumps.</summary>
    public static int VersionOf(string etag) =>
        int.Parse(etag.Trim('"').Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The body as JSON text with the member at <paramref name="path"/> (need, contacts[0].email) set to <paramref name="json"/>.</summary>
    public static string With(object body, string path, string json) =>
        EditJson(body, path, (parent, name) => parent[name] = System.Text.Json.Nodes.JsonNode.Parse(json));

    /// <summary>The body as JSON text without the member at <paramref name="path"/>.</summary>
    public static string Without(object body, string path) =>
        EditJson(body, path, (parent, name) => parent.Remove(name));

    private static string EditJson(object body, string path, Action<System.Text.Json.Nodes.JsonObject, string> edit)
    {
        var root = JsonSerializer.SerializeToNode(body)!;
        var names = path.Split('.');
        var parent = names[..^1].Aggregate(root, (node, step) => step.Split('[', ']') is [var name, var index, ""]
            ? node[name]![int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]!
            : node[step]!);
        edit(parent.AsObject(), names[^1]);
        return root.ToJsonString();
    }
}
