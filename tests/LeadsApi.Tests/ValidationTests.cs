using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// Every body and query the API reads is checked before anything changes: a 400 validation-failed
/// problem whose errors name exactly the field at fault, as a JSON path, and the lead as it was.
/// </summary>
public sealed class ValidationTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    /// <summary>A JSON string of that many characters.</summary>
    private static string Text(int length) => JsonSerializer.Serialize(new string('x', length));

    private static string Contacts(int count) =>
        JsonSerializer.Serialize(Enumerable.Range(1, count).Select(i => new { name = $"Contact {i}" }));

    // Rows are (path in the body, JSON to put there or null to leave the member out, the field the 400 names).
    public static TheoryData<string, string?, string> InvalidNewLeads => new()
    {
        { "partnerId", null, "partnerId" },
        { "type", null, "type" },
        { "customer", null, "customer" },
        { "customer", "null", "customer" },
        { "customer.companyName", null, "customer.companyName" },
        { "customer.companyName", "\"   \"", "customer.companyName" },
        { "customer.companyName", Text(201), "customer.companyName" },
        { "customer.contactName", null, "customer.contactName" },
        { "customer.email", "\"ana@\"", "customer.email" },
        { "customer.email", "\"Ana Silva <ana@fabrikam.example>\"", "customer.email" },
        { "customer.phone", "\"call me maybe\"", "customer.phone" },
        // + and 40 digits passed the pattern and failed the varchar(40) insert with a 500.
        { "customer.phone", JsonSerializer.Serialize("+" + new string('1', 40)), "customer.phone" },
        // .NET's $ matches before a final line break: "123\n" passed and was stored.
        { "customer.phone", "\"123\\n\"", "customer.phone" },
        { "customer.companyName", "\"Fabrikam\\nLtd\"", "customer.companyName" },
        { "customer.companyName", "\"\\u00A0\\u3000\"", "customer.companyName" },
        { "customer.country", "\"Portugal\"", "customer.country" },
        { "customer.country", "\"pt\"", "customer.country" },
        { "customer.country", "\"XX\"", "customer.country" },
        { "customer.industry", Text(201), "customer.industry" },
        { "need", null, "need" },
        { "need", "\"\"", "need" },
        { "need", Text(4001), "need" },
        { "campaignId", Text(101), "campaignId" },
        { "externalId", Text(101), "externalId" },
    };

    [Theory]
    [MemberData(nameof(InvalidNewLeads))]
    public async Task CreateLead_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndCreatesNothing(string path, string? json, string field)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var body = Api.NewLeadBody(partner.PartnerId);

        var response = await sender.Client.PostJsonAsync("/v1/leads", Edited(body, path, json));

        await response.ShouldFailValidationAsync(field);
        await ShouldHaveNoLeadsAsync(partner);
    }

    // The other side of the limits above: every text at its longest is stored and read back whole.
    [Fact]
    public async Task CreateLead_WithEveryTextAtItsLimit_Returns201WithTheTextIntact()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var body = new
        {
            partnerId = partner.PartnerId,
            type = "salesQualified",
            customer = new
            {
                companyName = new string('c', 200),
                contactName = new string('n', 200),
                email = new string('e', 64) + "@" + new string('d', 60) + ".example",
                phone = "+" + new string('1', 39),
                country = "PT",
                companySize = "enterprise",
                industry = new string('i', 200),
            },
            need = new string('w', 4000),
            campaignId = new string('k', 100),
            externalId = new string('x', 100),
        };

        var created = await (await sender.Client.PostAsJsonAsync("/v1/leads", body)).ShouldBeAsync(HttpStatusCode.Created);

        var lead = await partner.Admin.GetJsonAsync($"/v1/leads/{created.Id()}");
        Assert.Equal(body.customer.companyName, lead.GetProperty("customer").Str("companyName"));
        Assert.Equal(body.customer.industry, lead.GetProperty("customer").Str("industry"));
        Assert.Equal(body.need, lead.Str("need"));
        Assert.Equal(body.externalId, lead.Str("externalId"));
    }

    // PostgreSQL's varchar(200) counts characters, not the UTF-16 units .NET counts: 200 emoji fit.
    [Fact]
    public async Task CreateLead_WithA200EmojiCompanyName_Returns201WithTheNameIntact()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var name = string.Concat(Enumerable.Repeat("😀", 200));

        var created = await (await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId, companyName: name))).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal(name, (await partner.Admin.GetJsonAsync($"/v1/leads/{created.Id()}")).GetProperty("customer").Str("companyName"));
    }

    [Fact]
    public async Task CreateLead_WithA201EmojiCompanyName_Returns400NamingCustomerCompanyName()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var response = await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId, companyName: string.Concat(Enumerable.Repeat("😀", 201))));

        await response.ShouldFailValidationAsync("customer.companyName");
        await ShouldHaveNoLeadsAsync(partner);
    }

    [Fact]
    public async Task CreateLead_WithA100000CharacterCompanyName_Returns400NamingCustomerCompanyName()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var response = await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId, companyName: new string('x', 100_000)));

        await response.ShouldFailValidationAsync("customer.companyName");
        await ShouldHaveNoLeadsAsync(partner);
    }

    [Fact]
    public async Task CreateLead_ForAPartnerThatDoesNotExist_Returns400NamingPartnerId()
    {
        var sender = await api.NewSenderAsync();

        var response = await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(Guid.CreateVersion7()));

        await response.ShouldFailValidationAsync("partnerId");
    }

    // PostgreSQL text cannot hold U+0000; such a value once got as far as the insert and came back as a 500.
    [Theory]
    [InlineData("customer.companyName")]
    [InlineData("customer.industry")]
    [InlineData("need")]
    [InlineData("externalId")]
    public async Task CreateLead_WithANulCharacterInText_Returns400NamingTheField(string path)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();

        var response = await sender.Client.PostJsonAsync("/v1/leads", Api.With(Api.NewLeadBody(partner.PartnerId), path, "\"Fabrikam\\u0000Ltd\""));

        await response.ShouldFailValidationAsync(path);
        await ShouldHaveNoLeadsAsync(partner);
    }

    public static TheoryData<string, string?, string> InvalidAcceptances => new()
    {
        { "dealName", null, "dealName" },
        { "dealName", "\" \"", "dealName" },
        { "dealName", Text(201), "dealName" },
        { "dealName", "\"Fabrikam\\u0000move\"", "dealName" },
        { "estimatedValue", null, "estimatedValue" },
        { "estimatedValue.amount", null, "estimatedValue.amount" },
        { "estimatedValue.amount", "-0.01", "estimatedValue.amount" },
        { "estimatedValue.amount", "12000.00001", "estimatedValue.amount" },
        { "estimatedValue.amount", "1000000000000.01", "estimatedValue.amount" },
        { "estimatedValue.currency", null, "estimatedValue.currency" },
        { "estimatedValue.currency", "\"EURO\"", "estimatedValue.currency" },
        { "estimatedValue.currency", "\"eur\"", "estimatedValue.currency" },
        { "estimatedValue.currency", "\"ABC\"", "estimatedValue.currency" },
        { "estimatedCloseDate", null, "estimatedCloseDate" },
        { "notes", Text(4001), "notes" },
        { "crmId", Text(101), "crmId" },
        { "campaignId", Text(101), "campaignId" },
        { "contacts", Contacts(21), "contacts" },
        { "contacts", "[null]", "contacts[0]" },
        { "contacts[0].name", null, "contacts[0].name" },
        { "contacts[0].email", "\"li.contoso.example\"", "contacts[0].email" },
        { "contacts[0].phone", "\"+351 ext. nine\"", "contacts[0].phone" },
        // Contacts are stored as JSON, which has no column to refuse what the customer's columns refuse.
        { "contacts[0].phone", JsonSerializer.Serialize("+" + new string('1', 40)), "contacts[0].phone" },
        { "contacts[0].name", Text(201), "contacts[0].name" },
        { "contacts[0].email", JsonSerializer.Serialize(new string('s', 250) + "@contoso.example"), "contacts[0].email" },
        { "contacts", """[{ "name": "Li Wei" }, { "name": "Sam Shaw", "email": "sam@" }]""", "contacts[1].email" },
    };

    [Theory]
    [MemberData(nameof(InvalidAcceptances))]
    public async Task Accept_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndLeavesTheLeadReceived(string path, string? json, string field)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/accept", Edited(Api.AcceptBody, path, json));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Fact]
    public async Task Accept_WithEveryTextAndListAtItsLimit_Returns200WithTheDealIntact()
    {
        var (partner, lead) = await ReceivedLeadAsync();
        var body = new
        {
            dealName = new string('d', 200),
            estimatedValue = new { amount = 1500.1234m, currency = "KWD" },
            estimatedCloseDate = "2027-01-31",
            notes = new string('n', 4000),
            crmId = new string('c', 100),
            campaignId = new string('k', 100),
            contacts = Enumerable.Range(1, 20).Select(i => new { name = new string('p', 199) + (i % 10) }).ToArray(),
        };

        var accepted = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", body)).ShouldBeAsync(HttpStatusCode.OK);

        var deal = accepted.GetProperty("deal");
        Assert.Equal(body.dealName, deal.Str("dealName"));
        Assert.Equal(1500.1234m, deal.GetProperty("estimatedValue").GetProperty("amount").GetDecimal());
        Assert.Equal(body.notes, deal.Str("notes"));
        Assert.Equal(body.crmId, deal.Str("crmId"));
        Assert.Equal(20, accepted.GetProperty("team").GetArrayLength());
    }

    [Fact]
    public async Task Accept_WithEveryRequiredFieldMissing_Returns400NamingEachOfThem()
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/accept", "{}");

        await response.ShouldFailValidationAsync("dealName", "estimatedValue", "estimatedCloseDate");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    public static TheoryData<string, string?, string> InvalidDeclines => new()
    {
        { "reason", null, "reason" },
        { "reason", "null", "reason" },
        { "notes", Text(4001), "notes" },
        { "notes", "\"Not a fit\\u0000\"", "notes" },
    };

    [Theory]
    [MemberData(nameof(InvalidDeclines))]
    public async Task Decline_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndLeavesTheLeadReceived(string path, string? json, string field)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/decline", Edited(Api.DeclineBody, path, json));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Theory]
    [InlineData("""{ "reason": "other" }""")]
    [InlineData("""{ "reason": "other", "notes": null }""")]
    [InlineData("""{ "reason": "other", "notes": "   " }""")]
    public async Task Decline_WithReasonOtherAndNoNotes_Returns400NamingNotes(string body)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/decline", body);

        await response.ShouldFailValidationAsync("notes");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    public static TheoryData<string, string?, string> InvalidWins => new()
    {
        { "finalValue", null, "finalValue" },
        { "finalValue.amount", null, "finalValue.amount" },
        { "finalValue.amount", "-1", "finalValue.amount" },
        { "finalValue.amount", "11500.12345", "finalValue.amount" },
        { "finalValue.currency", null, "finalValue.currency" },
        { "finalValue.currency", "\"€\"", "finalValue.currency" },
        { "closedOn", null, "closedOn" },
        { "notes", Text(4001), "notes" },
    };

    [Theory]
    [MemberData(nameof(InvalidWins))]
    public async Task MarkWon_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndLeavesTheLeadAccepted(string path, string? json, string field)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/won", Edited(Api.WonBodyFor(lead), path, json));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Fact]
    public async Task MarkWon_ClosedOnTheDayBeforeTheLeadWasAccepted_Returns400NamingClosedOn()
    {
        var (partner, lead) = await AcceptedLeadAsync();
        var acceptedOn = DateOnly.FromDateTime(lead.GetProperty("acceptedAt").GetDateTimeOffset().UtcDateTime);

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/won", Api.With(Api.WonBody, "closedOn", Date(acceptedOn.AddDays(-1))));

        await response.ShouldFailValidationAsync("closedOn");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Fact]
    public async Task MarkWon_ClosedOnADayThatHasNotComeYet_Returns400NamingClosedOn()
    {
        var (partner, lead) = await AcceptedLeadAsync();
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/won", Api.With(Api.WonBody, "closedOn", Date(today.AddDays(2))));

        await response.ShouldFailValidationAsync("closedOn");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Fact]
    public async Task MarkWon_ClosedOnTomorrowInUtc_Returns200ForPartnersAheadOfUtc()
    {
        var (partner, lead) = await AcceptedLeadAsync();
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/won", Api.With(Api.WonBody, "closedOn", Date(today.AddDays(1))));

        Assert.Equal("won", (await response.ShouldBeAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task MarkWon_ClosedOnTheDayTheLeadWasAccepted_Returns200()
    {
        var (partner, lead) = await AcceptedLeadAsync();
        var acceptedOn = DateOnly.FromDateTime(lead.GetProperty("acceptedAt").GetDateTimeOffset().UtcDateTime);

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/won", Api.With(Api.WonBody, "closedOn", Date(acceptedOn)));

        var won = await response.ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal("won", won.Str("status"));
    }

    public static TheoryData<string, string?, string> InvalidLosses => new()
    {
        { "reason", null, "reason" },
        { "notes", Text(4001), "notes" },
    };

    [Theory]
    [MemberData(nameof(InvalidLosses))]
    public async Task MarkLost_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndLeavesTheLeadAccepted(string path, string? json, string field)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/lost", Edited(Api.LostBody, path, json));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Theory]
    [InlineData("""{ "reason": "other" }""")]
    [InlineData("""{ "reason": "other", "notes": "" }""")]
    public async Task MarkLost_WithReasonOtherAndNoNotes_Returns400NamingNotes(string body)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/lost", body);

        await response.ShouldFailValidationAsync("notes");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    // A merge patch leaves out what it does not change, so each row is a whole patch.
    [Theory]
    [InlineData("""{ "dealName": null }""", "dealName")]
    [InlineData("""{ "dealName": "" }""", "dealName")]
    [InlineData("""{ "estimatedValue": null }""", "estimatedValue")]
    [InlineData("""{ "estimatedValue": { "amount": 13000 } }""", "estimatedValue.currency")]
    [InlineData("""{ "estimatedValue": { "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("""{ "estimatedValue": { "amount": -5, "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("""{ "estimatedValue": { "amount": 1.23456, "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("""{ "estimatedValue": { "amount": 13000, "currency": "Euro" } }""", "estimatedValue.currency")]
    [InlineData("""{ "estimatedCloseDate": null }""", "estimatedCloseDate")]
    [InlineData("""{ "notes": "Tenant\u0000move" }""", "notes")]
    public async Task EditDeal_WithAnInvalidValueOrARequiredFieldCleared_Returns400NamingItAndLeavesTheDealAsItWas(string patch, string field)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PatchJsonAsync($"/v1/leads/{lead.Id()}", patch);

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
        var deal = (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("deal");
        Assert.Equal(lead.GetProperty("deal").GetRawText(), deal.GetRawText());
    }

    [Theory]
    [InlineData("crmId", 101)]
    [InlineData("campaignId", 101)]
    [InlineData("notes", 4001)]
    [InlineData("dealName", 201)]
    public async Task EditDeal_WithTextOverItsLimit_Returns400NamingTheField(string field, int length)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PatchJsonAsync($"/v1/leads/{lead.Id()}", Api.With(new { }, field, Text(length)));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    public static TheoryData<string, string?, string> InvalidTeamMembers => new()
    {
        { "name", null, "name" },
        { "name", "\"  \"", "name" },
        { "name", Text(201), "name" },
        { "email", "\"sam at contoso\"", "email" },
        { "email", JsonSerializer.Serialize(new string('s', 250) + "@contoso.example"), "email" },
        { "phone", "\"call me\"", "phone" },
        { "phone", JsonSerializer.Serialize("+" + new string('1', 41)), "phone" },
    };

    [Theory]
    [MemberData(nameof(InvalidTeamMembers))]
    public async Task AddTeamMember_WithAFieldMissingOrInvalid_Returns400NamingExactlyThatFieldAndLeavesTheTeamAsItWas(string path, string? json, string field)
    {
        var (partner, lead) = await AcceptedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/team", Edited(Api.TeamMemberBody, path, json));

        await response.ShouldFailValidationAsync(field);
        await partner.Admin.ShouldBeUnchangedAsync(lead);
        Assert.Equal(1, (await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("team").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=500", "limit")]
    [InlineData("sort=bogus", "sort")]
    [InlineData("sort=-bogus", "sort")]
    [InlineData("sort=receivedat", "sort")]
    [InlineData("view=bogus", "view")]
    [InlineData("view=Marketplace", "view")]
    [InlineData("stage=bogus", "stage")]
    [InlineData("status=bogus", "status")]
    [InlineData("status=archived", "status")]
    [InlineData("type=hotLead", "type")]
    [InlineData("cursor=bogus", "cursor")]
    [InlineData("cursor=", "cursor")]
    public async Task ListLeads_WithAnInvalidQueryValue_Returns400NamingTheParameter(string query, string parameter)
    {
        var (partner, _) = await ReceivedLeadAsync();

        var response = await partner.Admin.GetAsync($"/v1/leads?{query}");

        await response.ShouldFailValidationAsync(parameter);
    }

    [Fact]
    public async Task ListLeads_WithAQueryOver200Characters_Returns400NamingQ()
    {
        var (partner, _) = await ReceivedLeadAsync();

        var response = await partner.Admin.GetAsync($"/v1/leads?q={new string('x', 201)}");

        await response.ShouldFailValidationAsync("q");
    }

    [Fact]
    public async Task ListLeads_WithSeveralInvalidParameters_Returns400NamingEachOfThem()
    {
        var (partner, _) = await ReceivedLeadAsync();

        var response = await partner.Admin.GetAsync("/v1/leads?limit=0&sort=bogus&view=bogus&status=bogus");

        await response.ShouldFailValidationAsync("limit", "sort", "view", "status");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    public async Task ListLeads_WithLimitAtItsBounds_Returns200(int limit)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var page = await partner.Admin.GetJsonAsync($"/v1/leads?limit={limit}");

        Assert.Equal(lead.Id(), Assert.Single(page.GetProperty("items").EnumerateArray()).Id());
    }

    [Fact]
    public async Task ListLeads_WithACursorOfAnotherSortOrder_Returns400NamingCursor()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.CreateLeadAsync(partner.PartnerId);
        await sender.CreateLeadAsync(partner.PartnerId);
        var nextLink = (await partner.Admin.GetJsonAsync("/v1/leads?sort=receivedAt&limit=1")).Str("nextLink");
        var cursor = nextLink[(nextLink.IndexOf("cursor=", StringComparison.Ordinal) + "cursor=".Length)..];
        Assert.Single((await partner.Admin.GetJsonAsync(nextLink)).GetProperty("items").EnumerateArray());

        var response = await partner.Admin.GetAsync($"/v1/leads?sort=respondBy&limit=1&cursor={cursor}");

        await response.ShouldFailValidationAsync("cursor");
    }

    private static string Edited(object body, string path, string? json) =>
        json is null ? Api.Without(body, path) : Api.With(body, path, json);

    private static string Date(DateOnly day) => JsonSerializer.Serialize(day.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static async Task ShouldHaveNoLeadsAsync(PartnerClients partner) =>
        Assert.Empty((await partner.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray());

    private async Task<(PartnerClients Partner, JsonElement Lead)> ReceivedLeadAsync()
    {
        var partner = await api.NewPartnerAsync();
        return (partner, await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId));
    }

    private async Task<(PartnerClients Partner, JsonElement Lead)> AcceptedLeadAsync()
    {
        var partner = await api.NewPartnerAsync();
        return (partner, await (await api.NewSenderAsync()).AcceptedLeadAsync(partner));
    }
}
