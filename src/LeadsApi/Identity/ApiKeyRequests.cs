using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Limits;
using LeadsApi.Problems;

namespace LeadsApi.Identity;

/// <summary>A new API key of the caller's partner.</summary>
/// <param name="Name">Who or what uses the key ("CRM sync", "Ana Silva"): the key's user, as the timeline and the list of keys show it.</param>
/// <param name="Roles">What the key may do: partner roles only, and only roles the creating key holds (a partner admin's holds them all).</param>
/// <param name="ExpiresAt">When the key stops working (answers 401 from then on); leave it out for a key that works until it is revoked.</param>
[ClosedSchema]
public sealed record CreateApiKeyRequest(
    [Limit(nameof(FieldLimits.AccountName))] string? Name,
    [Limit(nameof(FieldLimits.ApiKeyRoles))] IReadOnlyList<string>? Roles,
    [Limit(nameof(FieldLimits.ApiKeyExpiry))] DateTimeOffset? ExpiresAt) : IValidatable
{
    /// <remarks><see cref="ExpiresAt"/> needs the clock: the handler checks it against <see cref="FieldLimits.ApiKeyExpiry"/>.</remarks>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text("name", Name, FieldLimits.AccountName);
        errors.Codes("roles", Roles, FieldLimits.ApiKeyRoles);
    }
}

/// <summary>A new partner.</summary>
/// <param name="Name">The partner's (company's) name.</param>
[ClosedSchema]
public sealed record OnboardPartnerRequest([Limit(nameof(FieldLimits.AccountName))] string? Name) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text("name", Name, FieldLimits.AccountName);
    }
}

/// <summary>A new sender.</summary>
/// <param name="Name">The sender's name, as partners see it on the leads it sends.</param>
/// <param name="Kind">What sends the leads: the marketplace, the platform's marketing or sales, or a partner that refers leads.</param>
[ClosedSchema]
public sealed record OnboardSenderRequest(
    [Limit(nameof(FieldLimits.AccountName))] string? Name,
    [Limit(nameof(FieldLimits.Given))] SenderKind? Kind) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text("name", Name, FieldLimits.AccountName);
        errors.Given("kind", Kind, FieldLimits.Given);
    }
}
