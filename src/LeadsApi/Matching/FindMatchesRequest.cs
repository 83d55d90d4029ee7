using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Domain.Partners;
using LeadsApi.Limits;
using LeadsApi.Partners;
using LeadsApi.Problems;

namespace LeadsApi.Matching;

/// <summary>What a customer asks for, to rank the partners that could answer it. Only `leadType` and `country` are required.</summary>
/// <param name="LeadType">customerInquiry, marketingQualified or salesQualified: a partner that does not take the type is excluded.</param>
/// <param name="Need">What the customer needs, in their words; its words are compared with each partner's expertise.</param>
/// <param name="Keywords">What the need is about, e.g. "microsoft 365", "migration".</param>
/// <param name="Industry">The customer's industry, e.g. retail.</param>
/// <param name="CompanySize">The customer's size.</param>
/// <param name="BusinessModel">How the customer wants to work with the partner; scored only when given.</param>
/// <param name="Country">Where the customer is: ISO 3166-1 alpha-2, e.g. PT.</param>
/// <param name="Region">The customer's region or state, e.g. Lisboa.</param>
/// <param name="City">The customer's city.</param>
/// <param name="Coordinates">Where the customer is, for the partners' service radius.</param>
/// <param name="Language">The language the customer wants to be served in (BCP 47), e.g. pt-PT.</param>
/// <param name="Customer">Who the customer is: a partner that declined or let expire a lead of the same customer in the last 90 days is excluded.</param>
/// <param name="Limit">How many ranked partners to answer, and at most how many excluded ones.</param>
public sealed record FindMatchesRequest(
    [Limit(nameof(FieldLimits.Given))] LeadType? LeadType,
    [Limit(nameof(FieldLimits.MatchNeed))] string? Need,
    [Limit(nameof(FieldLimits.MatchKeywords))] IReadOnlyList<string>? Keywords,
    [Limit(nameof(FieldLimits.Industry))] string? Industry,
    CompanySize? CompanySize,
    BusinessModel? BusinessModel,
    [Limit(nameof(FieldLimits.MatchCountry))] string? Country,
    [Limit(nameof(FieldLimits.Region))] string? Region,
    [Limit(nameof(FieldLimits.City))] string? City,
    CoordinatesInput? Coordinates,
    [Limit(nameof(FieldLimits.MatchLanguage))] string? Language,
    MatchCustomerInput? Customer,
    [Limit(nameof(FieldLimits.MatchLimit))] int? Limit) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Given("leadType", LeadType, FieldLimits.Given);
        errors.Text("need", Need, FieldLimits.MatchNeed);
        errors.Texts("keywords", Keywords, FieldLimits.MatchKeywords);
        errors.Text("industry", Industry, FieldLimits.Industry);
        errors.Code("country", Country, FieldLimits.MatchCountry);
        errors.Text("region", Region, FieldLimits.Region);
        errors.Text("city", City, FieldLimits.City);
        Coordinates?.Validate(errors, "coordinates.");
        errors.Text("language", Language, FieldLimits.MatchLanguage);
        Customer?.Validate(errors, "customer.");
        errors.Range("limit", Limit, FieldLimits.MatchLimit);
    }

    public int Take => Limit ?? FieldLimits.MatchLimit.Default;

    public CustomerRequest ToCustomerRequest() => new()
    {
        LeadType = LeadType!.Value,
        Need = Need,
        Keywords = Keywords ?? [],
        Industry = Industry,
        CompanySize = CompanySize,
        BusinessModel = BusinessModel is { } model ? Names.Of(model) : null,
        Country = Country!,
        Region = Region,
        City = City,
        Coordinates = Coordinates?.ToPoint(),
        Language = Language,
        CustomerEmailDomain = CustomerRequest.DomainOf(Customer?.Email),
        CustomerCompany = Customer?.CompanyName,
    };
}

/// <summary>Who the customer is, for the same-customer exclusions; neither is stored.</summary>
/// <param name="Email">The customer's email address; its domain identifies the company (unless it is a public mailbox provider's).</param>
/// <param name="CompanyName">The customer's company, compared without case, punctuation and legal form.</param>
public sealed record MatchCustomerInput(
    [Limit(nameof(FieldLimits.Email))] string? Email,
    [Limit(nameof(FieldLimits.MatchCompanyName))] string? CompanyName)
{
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text($"{prefix}email", Email, FieldLimits.Email);
        errors.Text($"{prefix}companyName", CompanyName, FieldLimits.MatchCompanyName);
    }
}
