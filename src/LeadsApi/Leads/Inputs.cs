using LeadsApi.Domain.Leads;
using LeadsApi.Limits;
using LeadsApi.Problems;

namespace LeadsApi.Leads;

/// <summary>An amount of money in a request.</summary>
/// <param name="Amount">The amount, in units of the currency.</param>
/// <param name="Currency">ISO 4217 code, e.g. EUR.</param>
public sealed record MoneyInput(
    [Limit(nameof(FieldLimits.Amount))] decimal? Amount,
    [Limit(nameof(FieldLimits.Currency))] string? Currency)
{
    public void Validate(ValidationErrors errors, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Amount($"{field}.amount", Amount, FieldLimits.Amount);
        errors.Code($"{field}.currency", Currency, FieldLimits.Currency);
    }

    public Money ToMoney() => new(Amount!.Value, Currency!);
}

/// <summary>A person on the partner's side of the deal.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Phone">Phone number, international format preferred.</param>
/// <param name="Email">Email address.</param>
public sealed record TeamMemberInput(
    [Limit(nameof(FieldLimits.TeamMemberName))] string? Name,
    [Limit(nameof(FieldLimits.Phone))] string? Phone,
    [Limit(nameof(FieldLimits.Email))] string? Email) : IValidatable
{
    public void Validate(ValidationErrors errors) => Validate(errors, "");

    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text($"{prefix}name", Name, FieldLimits.TeamMemberName);
        errors.Text($"{prefix}phone", Phone, FieldLimits.Phone);
        errors.Text($"{prefix}email", Email, FieldLimits.Email);
    }

    public NewTeamMember ToNewTeamMember() => new(Name!.Trim(), Phone, Email);
}

/// <summary>The customer behind a lead.</summary>
/// <param name="CompanyName">The customer's company.</param>
/// <param name="ContactName">The person to talk to.</param>
/// <param name="Email">Contact email.</param>
/// <param name="Phone">Contact phone.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. PT.</param>
/// <param name="CompanySize">micro (1-9), small (10-49), medium (50-249), large (250-999), enterprise (1000+).</param>
/// <param name="Industry">The customer's industry, free text.</param>
public sealed record CustomerInput(
    [Limit(nameof(FieldLimits.CompanyName))] string? CompanyName,
    [Limit(nameof(FieldLimits.ContactName))] string? ContactName,
    [Limit(nameof(FieldLimits.Email))] string? Email,
    [Limit(nameof(FieldLimits.Phone))] string? Phone,
    [Limit(nameof(FieldLimits.Country))] string? Country,
    CompanySize? CompanySize,
    [Limit(nameof(FieldLimits.Industry))] string? Industry)
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text("customer.companyName", CompanyName, FieldLimits.CompanyName);
        errors.Text("customer.contactName", ContactName, FieldLimits.ContactName);
        errors.Text("customer.email", Email, FieldLimits.Email);
        errors.Text("customer.phone", Phone, FieldLimits.Phone);
        errors.Code("customer.country", Country, FieldLimits.Country);
        errors.Text("customer.industry", Industry, FieldLimits.Industry);
    }

    public Customer ToCustomer() => new(CompanyName!.Trim(), ContactName!.Trim(), Email, Phone, Country, CompanySize, Industry);
}
