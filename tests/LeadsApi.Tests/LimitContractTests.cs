using System.Text.Json;
using CsCheck;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Limits;
using LeadsApi.Problems;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// The contract states what the server enforces: each limit the validator applies to a field is in that
/// field's schema, each limit in a request schema is one the validator applies, each pattern means the
/// same in JavaScript as on the server, and each operation lists every status it can answer.
/// </summary>
public sealed class LimitContractTests(JavaScriptRegExp javaScript) : IClassFixture<JavaScriptRegExp>
{
    private static readonly JsonSerializerOptions Json = ServerJson();
    private static readonly string[] LimitKeywords = ["maxLength", "minLength", "pattern", "minimum", "maximum", "maxItems"];

    // One complete body per operation, every optional member present, so the validator visits every field.
    public static readonly TheoryData<string, Type, string> Bodies = new()
    {
        // Routed: the validator visits the routing's members; partnerId has no limit of its own (routing may stand for it).
        {
            "createLead", typeof(CreateLeadRequest), Api.With(System.Text.Json.Nodes.JsonNode.Parse(Api.Without(Api.NewLeadBody(Guid.CreateVersion7(), externalId: "mkt-123"), "partnerId"))!, "routing", """
                { "mode": "bestMatch", "reroute": true, "maxHops": 3, "keywords": ["teams"], "businessModel": "projectServices",
                  "region": "Lisboa", "city": "Lisbon", "coordinates": { "latitude": 38.7, "longitude": -9.1 }, "language": "pt-PT" }
                """)
        },
        {
            "findMatches", typeof(LeadsApi.Matching.FindMatchesRequest), """
                { "leadType": "customerInquiry", "need": "Teams", "keywords": ["teams"], "industry": "retail", "companySize": "small",
                  "businessModel": "software", "country": "PT", "region": "Lisboa", "city": "Lisbon",
                  "coordinates": { "latitude": 38.7, "longitude": -9.1 }, "language": "pt-PT",
                  "customer": { "email": "ana@fabrikam.example", "companyName": "Fabrikam" }, "limit": 10 }
                """
        },
        { "acceptLead", typeof(AcceptLeadRequest), Api.With(Api.AcceptBody, "campaignId", "\"CMP-2026-11\"") },
        {
            "editDeal", typeof(EditDealRequest),
            """{ "dealName": "d", "estimatedValue": { "amount": 1, "currency": "EUR" }, "estimatedCloseDate": "2027-01-31", "notes": "n", "crmId": "c", "campaignId": "k" }"""
        },
        { "declineLead", typeof(DeclineLeadRequest), JsonSerializer.Serialize(Api.DeclineBody) },
        { "markLeadWon", typeof(MarkLeadWonRequest), JsonSerializer.Serialize(Api.WonBody) },
        { "markLeadLost", typeof(MarkLeadLostRequest), JsonSerializer.Serialize(Api.LostBody) },
        { "addTeamMember", typeof(TeamMemberInput), JsonSerializer.Serialize(Api.TeamMemberBody) },
        { "createApiKey", typeof(CreateApiKeyRequest), """{ "name": "CRM sync", "roles": ["referralsAdmin"], "expiresAt": "2027-06-30T00:00:00Z" }""" },
        { "onboardPartner", typeof(OnboardPartnerRequest), """{ "name": "Contoso" }""" },
        { "onboardSender", typeof(OnboardSenderRequest), """{ "name": "Platform Marketing", "kind": "platformMarketing" }""" },
        {
            "updatePartnerProfile", typeof(LeadsApi.Partners.UpdateProfileRequest),
            """
            { "expertiseKeywords": ["teams"], "industries": ["retail"], "companySizes": ["small"], "businessModels": ["software"],
              "leadTypes": ["customerInquiry"], "languages": ["pt-PT"], "weeklyCapacity": 10,
              "locations": [{ "name": "Lisbon office", "country": "PT", "region": "Lisboa", "city": "Lisbon",
                "coordinates": { "latitude": 38.7223, "longitude": -9.1393 }, "serviceRadiusKm": 100,
                "contact": { "name": "Li Wei", "email": "li@contoso.example", "phone": "+351 21 000 0001" } }],
              "pause": { "until": "2026-12-24T00:00:00Z", "reason": "Holidays" } }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void EveryValidatedField_CarriesItsLimitInTheContract(string operation, Type body, string json)
    {
        var checkedFields = LimitsTheValidatorApplies(body, json);

        Assert.NotEmpty(checkedFields);
        foreach (var (field, limit) in checkedFields)
        {
            ShouldPublish(Contract.CheckedIn.RequestField(operation, field), limit, $"{operation} {field}");
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void EveryLimitInARequestSchema_IsOneTheValidatorApplies(string operation, Type body, string json)
    {
        var checkedFields = LimitsTheValidatorApplies(body, json);

        var published = Contract.CheckedIn.RequestFields(operation)
            .Where(f => LimitKeywords.Any(k => f.Field.Keyword(k) is not null)
                || f.Field.References.Any(r => r is "CountryCode" or "CurrencyCode"))
            .Select(f => f.Path);
        // A presence or alternative limit has no keyword of its own: ShouldPublish checks that the member is not nullable.
        var limited = checkedFields.Where(f => f.Value is not (PresenceLimit or AlternativeLimit)).Select(f => f.Key);
        Assert.Equal(published.Order(StringComparer.Ordinal), limited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheListsParameters_CarryTheLimitsTheValidatorApplies()
    {
        var errors = new ValidationErrors();
        LeadListFilter.Parse(new ListLeadsParameters(null, null, null, null, null, "fabrikam", null, null, "10", null), errors);

        Assert.Equal(["limit", "q"], errors.Limits.Keys.Order(StringComparer.Ordinal));
        foreach (var (parameter, limit) in errors.Limits)
        {
            ShouldPublish(Contract.CheckedIn.Parameter("listLeads", parameter), limit, $"listLeads {parameter}");
        }
    }

    [Fact]
    public void EveryOperation_DeclaresTheStatusesItCanAnswer()
    {
        foreach (var (id, _, _, operation) in Contract.CheckedIn.Operations())
        {
            var responses = operation.GetProperty("responses");
            string[] expected = operation.TryGetProperty("requestBody", out _) ? ["400", "401", "403", "413", "415", "503"] : ["401", "403", "503"];
            foreach (var status in expected)
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{id} does not declare {status}.");
                Assert.True(response.GetProperty("content").TryGetProperty(ProblemResponses.ContentType, out _), $"{id} {status} is not problem+json.");
            }

            Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _), $"{id} 503 has no Retry-After.");
            Assert.Contains("service-unavailable", responses.GetProperty("503").GetProperty("description").GetString(), StringComparison.Ordinal);
            // Every documented operation is rate limited: its 429 says when to retry, and every answer what is left.
            Assert.True(responses.TryGetProperty("429", out var limited), $"{id} does not declare 429.");
            Assert.True(limited.GetProperty("headers").TryGetProperty("Retry-After", out _), $"{id} 429 has no Retry-After.");
            Assert.Equal("rate-limited", limited.GetProperty("content").GetProperty(ProblemResponses.ContentType).GetProperty("example").GetProperty("code").GetString());
            foreach (var answer in responses.EnumerateObject())
            {
                foreach (var header in new[] { "RateLimit-Policy", "RateLimit" })
                {
                    Assert.True(answer.Value.TryGetProperty("headers", out var headers) && headers.TryGetProperty(header, out _), $"{id} {answer.Name} has no {header}.");
                }
            }
        }
    }

    public static TheoryData<string> Patterns => [.. FieldLimits.All.Values.OfType<TextLimit>().Select(l => l.Pattern.Ecma).Distinct()];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void ContractPattern_MatchesTheSameTextsInJavaScriptAsOnTheServer(string ecma)
    {
        var pattern = FieldLimits.All.Values.OfType<TextLimit>().First(l => l.Pattern.Ecma == ecma).Pattern;
        var matched = 0;
        var texts = Gen.OneOf(Values.Text(12, "ab 0+().-@\n\t"), Values.Phones, Values.Emails, Values.Text(3, Values.Words))
            .Select(v => v.Value as string).Where(t => t is not null);

        texts.Sample(text =>
        {
            var server = pattern.Matches(text!);
            Assert.Equal(javaScript.Test(ecma, text!), server);
            matched += server ? 1 : 0;
        }, iter: 1000, threads: 1);

        // Both answers came up, so the comparison meant something.
        Assert.InRange(matched, 1, 999);
    }

    /// <summary>The body read as the server reads it, validated, and the limit it held each field to.</summary>
    private static IReadOnlyDictionary<string, FieldLimit> LimitsTheValidatorApplies(Type body, string json)
    {
        var request = (IValidatable)JsonSerializer.Deserialize(json, body, Json)!;
        var errors = new ValidationErrors();
        request.Validate(errors);
        Assert.True(errors.IsEmpty, $"The sample {body.Name} is not valid: {JsonSerializer.Serialize(errors.ToDictionary())}");
        return errors.Limits;
    }

    private static void ShouldPublish(ContractField field, FieldLimit limit, string where)
    {
        // A value the validator requires can never be null, in a patch too (which may leave it out).
        Assert.False(limit.Required && field.AllowsNull, $"{where}: nullable in the contract, but the server refuses null.");
        switch (limit)
        {
            case PresenceLimit:
                break;
            case AlternativeLimit:
                // Left out when its alternative is given, so never required; null is never a value.
                Assert.False(field.AllowsNull, $"{where}: nullable in the contract, but the server takes null as left out only.");
                break;
            case TextLimit text:
                Assert.True(text.MaxLength == field.Whole("maxLength"), $"{where}: maxLength {field.Whole("maxLength")}, the server allows {text.MaxLength}.");
                Assert.True((text.MinLength == 0 ? null : text.MinLength) == field.Whole("minLength"), $"{where}: minLength {field.Whole("minLength")}.");
                Assert.True(text.Pattern.Ecma == field.Pattern, $"{where}: pattern {field.Pattern}, the server checks {text.Pattern.Ecma}.");
                break;
            case CodeLimit code:
                Assert.Contains(code.SchemaName, field.References);
                Assert.True(code.Codes.SetEquals(field.Enum ?? new HashSet<string>()), $"{where}: the enum is not the codes the server accepts.");
                break;
            case AmountLimit amount:
                Assert.Equal(amount.Minimum, field.Number("minimum"));
                Assert.Equal(amount.Maximum, field.Number("maximum"));
                Assert.Equal(amount.Decimals, field.Decimals);
                break;
            case CountLimit count:
                Assert.Equal(count.MaxItems, field.Whole("maxItems"));
                break;
            case CodeListLimit list:
                Assert.Equal(list.MaxItems, field.Whole("maxItems"));
                Assert.True((list.Required ? list.MinItems : null) == field.Whole("minItems"), $"{where}: minItems {field.Whole("minItems")}.");
                break;
            case TextListLimit texts:
                Assert.Equal(texts.MaxItems, field.Whole("maxItems"));
                var item = new ContractField(Contract.CheckedIn, field.Keyword("items") ?? throw new InvalidOperationException($"{where}: not a list."));
                Assert.True(texts.Item.MaxLength == item.Whole("maxLength"), $"{where}: items' maxLength {item.Whole("maxLength")}, the server allows {texts.Item.MaxLength}.");
                Assert.True(texts.Item.Pattern.Ecma == item.Pattern, $"{where}: items' pattern {item.Pattern}, the server checks {texts.Item.Pattern.Ecma}.");
                break;
            case WholeNumberLimit whole:
                Assert.Equal(whole.Minimum, field.Whole("minimum"));
                Assert.Equal(whole.Maximum, field.Whole("maximum"));
                break;
            case RangeLimit range:
                Assert.Equal(range.Minimum, field.Whole("minimum"));
                Assert.Equal(range.Maximum, field.Whole("maximum"));
                Assert.Equal(range.Default, field.Whole("default"));
                break;
            case DayWindowLimit window:
                Assert.True(window.Pattern == field.Pattern, $"{where}: pattern {field.Pattern}, the server checks {window.Pattern}.");
                break;
            default:
                Assert.Fail($"{where}: no check for a {limit.GetType().Name}.");
                break;
        }
    }

    private static JsonSerializerOptions ServerJson()
    {
        var options = new JsonSerializerOptions();
        HttpExtensions.Configure(options);
        return options;
    }
}
