using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Partners;
using LeadsApi.Limits;
using LeadsApi.Partners;
using LeadsApi.Problems;

namespace LeadsApi.Leads;

/// <summary>Let the service choose the partner: the best match for the customer's request (docs/matching.md), instead of a partnerId.</summary>
/// <param name="Mode">bestMatch: the partner that ranks first for the request, as POST /v1/matches would rank them now.</param>
/// <param name="Reroute">When the partner declines (for any reason but duplicate) or lets the lead expire, hand the same request on to the next best partner, as a new lead linked to this one.</param>
/// <param name="MaxHops">With reroute: how many times the request may be handed on in all; 3 when left out.</param>
/// <param name="Keywords">What the need is about, e.g. "microsoft 365"; matched with the partners' expertise, as the need's own words are.</param>
/// <param name="BusinessModel">How the customer wants to work with the partner; scored only when given.</param>
/// <param name="Region">The customer's region or state, e.g. Lisboa.</param>
/// <param name="City">The customer's city.</param>
/// <param name="Coordinates">Where the customer is, for the partners' service radius.</param>
/// <param name="Language">The language the customer wants to be served in (BCP 47), e.g. pt-PT.</param>
public sealed record RoutingInput(
    [Limit(nameof(FieldLimits.Given))] RoutingMode? Mode,
    bool? Reroute,
    [Limit(nameof(FieldLimits.MaxHops))] int? MaxHops,
    [Limit(nameof(FieldLimits.MatchKeywords))] IReadOnlyList<string>? Keywords,
    BusinessModel? BusinessModel,
    [Limit(nameof(FieldLimits.Region))] string? Region,
    [Limit(nameof(FieldLimits.City))] string? City,
    CoordinatesInput? Coordinates,
    [Limit(nameof(FieldLimits.MatchLanguage))] string? Language)
{
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Given($"{prefix}mode", Mode, FieldLimits.Given);
        errors.Whole($"{prefix}maxHops", MaxHops, FieldLimits.MaxHops);
        if (MaxHops is not null && Reroute != true)
        {
            errors.Add($"{prefix}maxHops", "Only with reroute: true; without it the request is never handed on.");
        }

        errors.Texts($"{prefix}keywords", Keywords, FieldLimits.MatchKeywords);
        errors.Text($"{prefix}region", Region, FieldLimits.Region);
        errors.Text($"{prefix}city", City, FieldLimits.City);
        Coordinates?.Validate(errors, $"{prefix}coordinates.");
        errors.Text($"{prefix}language", Language, FieldLimits.MatchLanguage);
    }

    public RoutingCriteria ToCriteria() =>
        new(Keywords ?? [], BusinessModel is { } model ? Names.Of(model) : null, Region, City, Coordinates?.ToPoint(), Language);

    /// <summary>The routing of the request's first lead, handed to <paramref name="partnerId"/>.</summary>
    public LeadRouting ToRouting(Guid partnerId) => new(
        Mode!.Value, Reroute == true, Reroute == true ? MaxHops ?? LeadRouting.DefaultMaxHops : 0, Hop: 0, ToCriteria(), [partnerId]);
}
