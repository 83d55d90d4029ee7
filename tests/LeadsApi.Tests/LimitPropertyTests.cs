using System.Net;
using System.Text.Json;
using CsCheck;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>
/// Values at and around every limit of every request field, sent over HTTP to the service on PostgreSQL.
/// Each is either refused with a 400 naming exactly that field and changing nothing, or stored and read
/// back as sent; never a 500. Which of the two must agree with the checked-in contract, its patterns run
/// by JavaScript: a client that checks a value against the contract before sending gets the same answer.
/// </summary>
public sealed class LimitPropertyTests(LeadsApiFactory api, JavaScriptRegExp javaScript)
    : IClassFixture<LeadsApiFactory>, IClassFixture<JavaScriptRegExp>
{
    // Iterations per field: ~35 fields, 1 to 4 requests each, keep the class well under a minute.
    private const int Iterations = 60;

    // Rows are (request field, generator name, where the lead shows it, whether surrounding spaces are dropped).
    public static TheoryData<string, string, string, bool> CreateLeadFields => new()
    {
        { "customer.companyName", "name", "customer.companyName", true },
        { "customer.contactName", "name", "customer.contactName", true },
        { "customer.email", "email", "customer.email", false },
        { "customer.phone", "phone", "customer.phone", false },
        { "customer.country", "country", "customer.country", false },
        { "customer.industry", "name", "customer.industry", false },
        { "need", "paragraphs", "need", true },
        { "campaignId", "identifier", "campaignId", false },
        { "externalId", "identifier", "externalId", false },
    };

    [Theory]
    [MemberData(nameof(CreateLeadFields))]
    public async Task CreateLead_AnyValueOfAField_IsRefusedNamingItOrStoredAsSent(string field, string values, string shown, bool trimmed)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var created = 0;

        await Generator(values).SampleAsync(async value =>
        {
            var body = Body(Api.NewLeadBody(partner.PartnerId, externalId: Guid.NewGuid().ToString()), field, value);
            var response = await sender.Client.PostJsonAsync("/v1/leads", body);

            if (await ShouldAgreeWithContractAsync(response, Contract.CheckedIn.RequestField("createLead", field), field, value))
            {
                created += response.StatusCode == HttpStatusCode.Created ? 1 : 0;
                var lead = await partner.Admin.GetJsonAsync($"/v1/leads/{(await response.ShouldBeAsync(response.StatusCode)).Id()}");
                ShouldShow(lead, shown, value, trimmed);
            }
        }, iter: Iterations, threads: 1);

        // A refused lead was never written.
        Assert.Equal(created, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.PartnerId == partner.PartnerId)));
    }

    public static TheoryData<string, string, string, bool> AcceptFields => new()
    {
        { "dealName", "name", "deal.dealName", true },
        { "estimatedValue.amount", "amount", "deal.estimatedValue.amount", false },
        { "estimatedValue.currency", "currency", "deal.estimatedValue.currency", false },
        { "estimatedCloseDate", "date", "deal.estimatedCloseDate", false },
        { "notes", "paragraphs", "deal.notes", false },
        { "crmId", "identifier", "deal.crmId", false },
        { "campaignId", "identifier", "deal.campaignId", false },
        { "contacts", "contacts", "team", false },
        { "contacts[0].name", "name", "team[0].name", true },
        { "contacts[0].phone", "phone", "team[0].phone", false },
        { "contacts[0].email", "email", "team[0].email", false },
    };

    [Theory]
    [MemberData(nameof(AcceptFields))]
    public async Task Accept_AnyValueOfAField_IsRefusedNamingItOrStoredAsSent(string field, string values, string shown, bool trimmed)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        await Generator(values).SampleAsync(async value =>
        {
            var lead = await sender.CreateLeadAsync(partner.PartnerId);
            var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/accept", Body(Api.AcceptBody, field, value));

            await ShouldKeepOrStoreAsync(partner, lead, response, "acceptLead", field, value, shown, trimmed);
        }, iter: Iterations, threads: 1);
    }

    public static TheoryData<string, string, string, bool> EditDealFields => new()
    {
        { "dealName", "name", "deal.dealName", true },
        { "estimatedValue.amount", "amount", "deal.estimatedValue.amount", false },
        { "estimatedValue.currency", "currency", "deal.estimatedValue.currency", false },
        { "notes", "paragraphs", "deal.notes", false },
        { "crmId", "identifier", "deal.crmId", false },
        { "campaignId", "identifier", "deal.campaignId", false },
    };

    [Theory]
    [MemberData(nameof(EditDealFields))]
    public async Task EditDeal_AnyValueOfAField_IsRefusedNamingItOrStoredAsSent(string field, string values, string shown, bool trimmed)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var patch = new { estimatedValue = new { amount = 12000.00m, currency = "EUR" } };

        await Generator(values).SampleAsync(async value =>
        {
            var before = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
            var response = await partner.Admin.PatchJsonAsync($"/v1/leads/{lead.Id()}", Body(field.StartsWith("estimatedValue", StringComparison.Ordinal) ? patch : new { }, field, value));

            await ShouldKeepOrStoreAsync(partner, before, response, "editDeal", field, value, shown, trimmed);
        }, iter: Iterations, threads: 1);
    }

    public static TheoryData<string, string, string, bool> OutcomeFields => new()
    {
        { "declineLead", "notes", "decline.notes", false },
        { "markLeadWon", "finalValue.amount", "outcome.finalValue.amount", false },
        { "markLeadWon", "finalValue.currency", "outcome.finalValue.currency", false },
        { "markLeadWon", "notes", "outcome.notes", false },
        { "markLeadLost", "notes", "outcome.notes", false },
    };

    [Theory]
    [MemberData(nameof(OutcomeFields))]
    public async Task DeclineWonLost_AnyValueOfAField_IsRefusedNamingItOrStoredAsSent(string operation, string field, string shown, bool trimmed)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var (action, body) = operation switch
        {
            "declineLead" => ("decline", Api.DeclineBody),
            "markLeadWon" => ("won", api.WonBodyToday()),
            _ => ("lost", Api.LostBody),
        };
        var values = field.EndsWith("amount", StringComparison.Ordinal) ? "amount" : field.EndsWith("currency", StringComparison.Ordinal) ? "currency" : "paragraphs";

        await Generator(values).SampleAsync(async value =>
        {
            var lead = action == "decline" ? await sender.CreateLeadAsync(partner.PartnerId) : await sender.AcceptedLeadAsync(partner);
            var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/{action}", Body(body, field, value));

            await ShouldKeepOrStoreAsync(partner, lead, response, operation, field, value, shown, trimmed);
        }, iter: Iterations, threads: 1);
    }

    [Theory]
    [InlineData("name", "name", true)]
    [InlineData("phone", "phone", false)]
    [InlineData("email", "email", false)]
    public async Task AddTeamMember_AnyValueOfAField_IsRefusedNamingItOrStoredAsSent(string field, string values, bool trimmed)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);

        await Generator(values).SampleAsync(async value =>
        {
            var before = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
            var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/team", Body(Api.TeamMemberBody, field, value));

            if (await ShouldAgreeWithContractAsync(response, Contract.CheckedIn.RequestField("addTeamMember", field), field, value))
            {
                var member = await response.ShouldBeAsync(HttpStatusCode.Created);
                var team = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("team");
                ShouldShow(team.EnumerateArray().Single(m => m.Id() == member.Id()), field, value, trimmed);
                // Keep the team small: it holds at most 20.
                (await partner.Admin.DeleteAsync($"/v1/leads/{lead.Id()}/team/{member.Id()}")).EnsureSuccessStatusCode();
            }
            else
            {
                await partner.Admin.ShouldBeUnchangedAsync(before);
            }
        }, iter: Iterations, threads: 1);
    }

    [Theory]
    [InlineData("q", "search")]
    [InlineData("limit", "pageSize")]
    public async Task ListLeads_AnyValueOfAParameter_IsRefusedNamingItOrAnswered(string parameter, string values)
    {
        var partner = await api.NewPartnerAsync();
        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        await Generator(values).SampleAsync(async value =>
        {
            var text = value.Value is decimal n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string?)value.Value;
            if (text is null)
            {
                return; // a lone surrogate cannot be written in a URL
            }

            var response = await partner.Admin.GetAsync($"/v1/leads?{parameter}={Uri.EscapeDataString(text)}");

            if (await ShouldAgreeWithContractAsync(response, Contract.CheckedIn.Parameter("listLeads", parameter), parameter, value))
            {
                var page = await response.ShouldBeAsync(HttpStatusCode.OK);
                Assert.True(page.GetProperty("items").GetArrayLength() <= (parameter == "limit" ? (int)(decimal)value.Value! : int.MaxValue));
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public async Task AddTeamMember_ToATeamOfTwenty_Returns400NamingTeamAndAddsNobody()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        for (var i = lead.GetProperty("team").GetArrayLength(); i < 20; i++)
        {
            await (await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/team", $$"""{ "name": "Member {{i}}" }""")).ShouldBeAsync(HttpStatusCode.Created);
        }

        var full = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/team", """{ "name": "One too many" }""");

        await response.ShouldFailValidationAsync("team");
        await partner.Admin.ShouldBeUnchangedAsync(full);
        Assert.Equal(20, (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("team").GetArrayLength());
    }

    private async Task ShouldKeepOrStoreAsync(
        PartnerClients partner, JsonElement before, HttpResponseMessage response, string operation, string field, FieldValue value, string shown, bool trimmed)
    {
        if (await ShouldAgreeWithContractAsync(response, Contract.CheckedIn.RequestField(operation, field), field, value))
        {
            await response.ShouldBeAsync(HttpStatusCode.OK);
            ShouldShow(await partner.Admin.GetJsonAsync($"/v1/leads/{before.Id()}"), shown, value, trimmed);
        }
        else
        {
            await partner.Admin.ShouldBeUnchangedAsync(before);
        }
    }

    /// <summary>
    /// Asserts the answer is the one the contract gives for the value: a 2xx when it accepts it (returns
    /// true), else a 400 naming exactly the field. Never a 500.
    /// </summary>
    private async Task<bool> ShouldAgreeWithContractAsync(HttpResponseMessage response, ContractField contract, string field, FieldValue value)
    {
        var accepted = value.Value switch
        {
            null => false, // JSON that holds no .NET string: refused while reading the body
            string text => contract.Accepts(text, javaScript),
            decimal amount => contract.Accepts(amount),
            int items => contract.AcceptsItems(items),
            DateOnly => true, // the contract sets no range on dates
            _ => throw new InvalidOperationException($"No oracle for {value.Value.GetType()}."),
        };
        if (accepted)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"The contract accepts {value} for {field}, the server answered {(int)response.StatusCode}: {body}");
            return true;
        }

        await response.ShouldFailValidationAsync(field);
        return false;
    }

    /// <summary>Asserts the lead (or member) shows the value at the path as it was sent, spaces around required text dropped.</summary>
    private static void ShouldShow(JsonElement root, string path, FieldValue value, bool trimmed)
    {
        var shown = path.Split('.').Aggregate(root, (element, step) => step.Split('[', ']') is [var name, var index, ""]
            ? element.GetProperty(name)[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]
            : element.GetProperty(step));
        switch (value.Value)
        {
            case string text:
                Assert.Equal(trimmed ? text.Trim() : text, shown.GetString());
                break;
            case decimal amount:
                Assert.Equal(amount, shown.GetDecimal());
                break;
            case int items:
                Assert.Equal(items, shown.GetArrayLength());
                break;
            case DateOnly day:
                Assert.Equal(day, DateOnly.Parse(shown.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>The body with the field's JSON text exactly as generated (re-encoding it would mend a lone surrogate).</summary>
    private static string Body(object body, string field, FieldValue value) =>
        Api.With(body, field, "\"(value)\"").Replace("\"(value)\"", value.Json, StringComparison.Ordinal);

    private static Gen<FieldValue> Generator(string name) => name switch
    {
        "name" => Values.Text(200, Values.Words),
        "paragraphs" => Values.Text(4000, Values.Words + "\n"),
        "identifier" => Values.Text(100, Values.Identifiers),
        "search" => Values.Text(200, Values.Words),
        "email" => Values.Emails,
        "phone" => Values.Phones,
        "country" => Values.Codes("PT", "DE", "US", "JP"),
        "currency" => Values.Codes("EUR", "USD", "KWD", "JPY"),
        "amount" => Values.Amounts,
        "date" => Values.Dates,
        "contacts" => Values.ContactLists,
        "pageSize" => Values.PageSizes,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such generator."),
    };
}
