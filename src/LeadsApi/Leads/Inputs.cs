using System.ComponentModel.DataAnnotations;
using LeadsApi.Domain.Leads;
using LeadsApi.Persistence;
using LeadsApi.Problems;

namespace LeadsApi.Leads;

/// <summary>An amount of money in a request.</summary>
/// <param name="Amount">Non-negative, at most four decimals (some currencies have three).</param>
/// <param name="Currency">ISO 4217 code, e.g. EUR.</param>
public sealed record MoneyInput([Required] decimal? Amount, [Required] string? Currency)
{
    public void Validate(ValidationErrors errors, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Amount($"{field}.amount", Amount);
        errors.Currency($"{field}.currency", Currency);
    }

    public Money ToMoney() => new(Amount!.Value, Currency!);
}

/// <summary>A person on the partner's side of the deal.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Phone">Phone number, international format preferred.</param>
/// <param name="Email">Email address.</param>
public sealed record TeamMemberInput([Required] string? Name, string? Phone, string? Email) : IValidatable
{
    public void Validate(ValidationErrors errors) => Validate(errors, "");

    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.RequiredText($"{prefix}name", Name, Limits.Name);
        errors.Phone($"{prefix}phone", Phone);
        errors.Email($"{prefix}email", Email);
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
    [Required] string? CompanyName,
    [Required] string? ContactName,
    string? Email,
    string? Phone,
    string? Country,
    CompanySize? CompanySize,
    string? Industry)
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.RequiredText("customer.companyName", CompanyName, Limits.Name);
        errors.RequiredText("customer.contactName", ContactName, Limits.Name);
        errors.Email("customer.email", Email);
        errors.Phone("customer.phone", Phone);
        errors.Country("customer.country", Country);
        errors.MaxLength("customer.industry", Industry, Limits.Name);
    }

    public Customer ToCustomer() => new(CompanyName!.Trim(), ContactName!.Trim(), Email, Phone, Country, CompanySize, Industry);
}
