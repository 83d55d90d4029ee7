using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// The contract says what the server does: a member the schema marks required is exactly one the
/// server rejects when missing, and a member may be null in the schema exactly when the server takes null.
/// </summary>
public sealed class ContractBehaviourTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    public static TheoryData<string, string, string, string> MissingMembers => new()
    {
        // operation, body, schema, the prefix its members are reported under
        { "create", "{}", "CreateLeadRequest", "" },
        { "create", """{ "customer": {} }""", "CustomerInput", "customer." },
        { "accept", "{}", "AcceptLeadRequest", "" },
        { "accept", """{ "estimatedValue": {} }""", "MoneyInput", "estimatedValue." },
        { "accept", """{ "contacts": [ {} ] }""", "TeamMemberInput", "contacts[0]." },
        { "decline", "{}", "DeclineLeadRequest", "" },
        { "won", "{}", "MarkLeadWonRequest", "" },
        { "lost", "{}", "MarkLeadLostRequest", "" },
        { "team", "{}", "TeamMemberInput", "" },
    };

    [Theory]
    [MemberData(nameof(MissingMembers))]
    public async Task RequiredInTheContract_IsExactlyWhatTheServerRejectsWhenMissing(string operation, string body, string schema, string prefix)
    {
        var contract = await ContractAsync();
        var required = contract.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("required")
            .EnumerateArray().Select(r => prefix + r.GetString()).Order().ToArray();

        var problem = await (await SendAsync(operation, body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        var missing = problem.GetProperty("errors").EnumerateObject()
            .Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && !e.Name[prefix.Length..].Contains('.', StringComparison.Ordinal))
            .Where(e => e.Value.EnumerateArray().Any(m => m.GetString() == "Required."))
            .Select(e => e.Name).Order().ToArray();
        Assert.Equal(required, missing);
    }

    public static TheoryData<string, string> NullableMembers => new()
    {
        { "create", "partnerId" }, { "create", "type" }, { "create", "customer" }, { "create", "need" },
        { "create", "contactRequested" }, { "create", "campaignId" }, { "create", "externalId" },
        { "accept", "dealName" }, { "accept", "estimatedValue" }, { "accept", "estimatedCloseDate" },
        { "accept", "notes" }, { "accept", "crmId" }, { "accept", "campaignId" }, { "accept", "contacts" },
        { "edit", "dealName" }, { "edit", "estimatedValue" }, { "edit", "estimatedCloseDate" },
        { "edit", "notes" }, { "edit", "crmId" }, { "edit", "campaignId" },
    };

    [Theory]
    [MemberData(nameof(NullableMembers))]
    public async Task NullableInTheContract_IsExactlyWhenTheServerTakesNull(string operation, string member)
    {
        var (schema, validBody) = operation switch
        {
            "create" => ("CreateLeadRequest", JsonSerializer.SerializeToNode(Api.NewLeadBody(Guid.Empty))!.AsObject()),
            "accept" => ("AcceptLeadRequest", JsonSerializer.SerializeToNode(Api.AcceptBody)!.AsObject()),
            _ => ("EditDealRequest", new JsonObject { ["dealName"] = "x", ["estimatedValue"] = new JsonObject { ["amount"] = 1, ["currency"] = "EUR" },
                ["estimatedCloseDate"] = "2027-01-31", ["notes"] = "n", ["crmId"] = "c", ["campaignId"] = "k" }),
        };
        var property = (await ContractAsync()).GetProperty("components").GetProperty("schemas").GetProperty(schema)
            .GetProperty("properties").GetProperty(member);
        var nullable = ContractField.AdmitsNull(property);

        validBody[member] = null;
        var response = await SendAsync(operation, validBody.ToJsonString());

        if (nullable)
        {
            Assert.True(response.IsSuccessStatusCode, $"{schema}.{member} is nullable in the contract, but null got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"{schema}.{member} is not nullable, but null was not reported for it");
        }
    }

    private async Task<JsonElement> ContractAsync() => await api.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");

    /// <summary>Sends the body to a fresh lead in the state the operation needs.</summary>
    private async Task<HttpResponseMessage> SendAsync(string operation, string body)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        if (operation == "create")
        {
            var json = JsonNode.Parse(body)!.AsObject();
            if (json.ContainsKey("partnerId") && json["partnerId"]?.GetValue<string>() == Guid.Empty.ToString())
            {
                json["partnerId"] = partner.PartnerId.ToString();
            }

            return await sender.Client.PostJsonAsync("/v1/leads", json.ToJsonString());
        }

        var lead = operation is "won" or "lost" or "team" or "edit"
            ? await sender.AcceptedLeadAsync(partner)
            : await sender.CreateLeadAsync(partner.PartnerId);
        var path = operation switch
        {
            "team" => $"/v1/leads/{lead.Id()}/team",
            _ => $"/v1/leads/{lead.Id()}/{operation}",
        };
        return operation == "edit"
            ? await partner.Admin.PatchJsonAsync($"/v1/leads/{lead.Id()}", body)
            : await partner.Admin.PostJsonAsync(path, body);
    }
}
