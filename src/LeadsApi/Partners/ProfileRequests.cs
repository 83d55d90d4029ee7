using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Domain.Partners;
using LeadsApi.Limits;
using LeadsApi.Problems;

namespace LeadsApi.Partners;

/// <summary>
/// The whole business profile, as PUT replaces it: a member left out (or null) is cleared, so a client sends what it
/// read back with its changes. Keywords and industries are stored trimmed, lower case and once each; language tags in
/// their conventional case.
/// </summary>
/// <param name="ExpertiseKeywords">What the partner is expert in, e.g. "microsoft 365", "teams"; matched against a customer's need.</param>
/// <param name="Industries">The customer industries the partner serves, e.g. "retail"; empty: any.</param>
/// <param name="CompanySizes">The customer sizes served; empty: any.</param>
/// <param name="BusinessModels">How the partner works with customers.</param>
/// <param name="LeadTypes">The lead types the partner takes; empty: every type.</param>
/// <param name="Languages">The languages the partner serves customers in (BCP 47), e.g. pt-PT, en.</param>
/// <param name="Locations">Where the partner works from, each with the area it serves and who hears of new leads there.</param>
/// <param name="WeeklyCapacity">The most new leads a week; left out or null: no limit; 0: none.</param>
/// <param name="Pause">Take no new leads until a time; null: not paused.</param>
public sealed record UpdateProfileRequest(
    [Limit(nameof(FieldLimits.ExpertiseKeywords))] IReadOnlyList<string>? ExpertiseKeywords,
    [Limit(nameof(FieldLimits.ServedIndustries))] IReadOnlyList<string>? Industries,
    [Limit(nameof(FieldLimits.CompanySizesServed))] IReadOnlyList<CompanySize>? CompanySizes,
    [Limit(nameof(FieldLimits.BusinessModels))] IReadOnlyList<BusinessModel>? BusinessModels,
    [Limit(nameof(FieldLimits.LeadTypesAccepted))] IReadOnlyList<LeadType>? LeadTypes,
    [Limit(nameof(FieldLimits.Languages))] IReadOnlyList<string>? Languages,
    [Limit(nameof(FieldLimits.Locations))] IReadOnlyList<LocationInput>? Locations,
    [Limit(nameof(FieldLimits.WeeklyCapacity))] int? WeeklyCapacity,
    PauseInput? Pause) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Texts("expertiseKeywords", ExpertiseKeywords, FieldLimits.ExpertiseKeywords);
        errors.Texts("industries", Industries, FieldLimits.ServedIndustries);
        errors.Count("companySizes", CompanySizes, FieldLimits.CompanySizesServed);
        errors.Count("businessModels", BusinessModels, FieldLimits.BusinessModels);
        errors.Count("leadTypes", LeadTypes, FieldLimits.LeadTypesAccepted);
        errors.Texts("languages", Languages, FieldLimits.Languages);
        errors.Count("locations", Locations, FieldLimits.Locations);
        if (Locations is { } locations && locations.Count <= FieldLimits.Locations.MaxItems)
        {
            for (var i = 0; i < locations.Count; i++)
            {
                if (errors.Item($"locations[{i}]", locations[i]))
                {
                    locations[i].Validate(errors, $"locations[{i}].");
                }
            }
        }

        errors.Whole("weeklyCapacity", WeeklyCapacity, FieldLimits.WeeklyCapacity);
        Pause?.Validate(errors, "pause.");
    }

    public ProfileDraft ToDraft() => new(
        ExpertiseKeywords ?? [], Industries ?? [], CompanySizes ?? [], BusinessModels ?? [], LeadTypes ?? [], Languages ?? [],
        [.. (Locations ?? []).Select(l => l.ToLocation())], WeeklyCapacity, Pause?.ToPause());
}

/// <summary>A place the partner works from.</summary>
/// <param name="Name">What the partner calls it, e.g. "Lisbon office".</param>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. PT.</param>
/// <param name="Region">The region or state, e.g. Lisboa.</param>
/// <param name="City">The city.</param>
/// <param name="Coordinates">Where it is, for the service radius.</param>
/// <param name="ServiceRadiusKm">How far from the coordinates the partner serves customers, in km; left out: the whole country.</param>
/// <param name="Contact">Who at this location hears of new leads.</param>
public sealed record LocationInput(
    [Limit(nameof(FieldLimits.LocationName))] string? Name,
    [Limit(nameof(FieldLimits.LocationCountry))] string? Country,
    [Limit(nameof(FieldLimits.Region))] string? Region,
    [Limit(nameof(FieldLimits.City))] string? City,
    CoordinatesInput? Coordinates,
    [Limit(nameof(FieldLimits.ServiceRadiusKm))] int? ServiceRadiusKm,
    NotificationContactInput? Contact)
{
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text($"{prefix}name", Name, FieldLimits.LocationName);
        errors.Code($"{prefix}country", Country, FieldLimits.LocationCountry);
        errors.Text($"{prefix}region", Region, FieldLimits.Region);
        errors.Text($"{prefix}city", City, FieldLimits.City);
        Coordinates?.Validate(errors, $"{prefix}coordinates.");
        errors.Whole($"{prefix}serviceRadiusKm", ServiceRadiusKm, FieldLimits.ServiceRadiusKm);
        if (ServiceRadiusKm is not null && Coordinates is null)
        {
            errors.Add($"{prefix}coordinates", "Required with a serviceRadiusKm: the radius is measured from them.");
        }

        Contact?.Validate(errors, $"{prefix}contact.");
    }

    public ServiceLocation ToLocation() =>
        new(Name!, Country!, Region, City, Coordinates?.ToPoint(), ServiceRadiusKm, Contact?.ToContact());
}

/// <summary>A point in degrees (WGS 84).</summary>
/// <param name="Latitude">-90 (south) to 90 (north).</param>
/// <param name="Longitude">-180 (west) to 180 (east).</param>
public sealed record CoordinatesInput(
    [Limit(nameof(FieldLimits.Latitude))] decimal? Latitude,
    [Limit(nameof(FieldLimits.Longitude))] decimal? Longitude)
{
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Amount($"{prefix}latitude", Latitude, FieldLimits.Latitude);
        errors.Amount($"{prefix}longitude", Longitude, FieldLimits.Longitude);
    }

    public GeoPoint ToPoint() => new((double)Latitude!.Value, (double)Longitude!.Value);
}

/// <summary>Who hears of a new lead at a location.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Email">Where the notification goes.</param>
/// <param name="Phone">Phone number, international format preferred.</param>
public sealed record NotificationContactInput(
    [Limit(nameof(FieldLimits.ContactName))] string? Name,
    [Limit(nameof(FieldLimits.NotificationEmail))] string? Email,
    [Limit(nameof(FieldLimits.Phone))] string? Phone)
{
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text($"{prefix}name", Name, FieldLimits.ContactName);
        errors.Text($"{prefix}email", Email, FieldLimits.NotificationEmail);
        errors.Text($"{prefix}phone", Phone, FieldLimits.Phone);
    }

    public NotificationContact ToContact() => new(Name!, Email!, Phone);
}

/// <summary>A pause: no new leads until <paramref name="Until"/>.</summary>
/// <param name="Until">When the pause ends (RFC 3339), in the future and at most 366 days ahead; after it the partner takes leads again by itself.</param>
/// <param name="Reason">Why, for the partner's own people, e.g. "Summer holidays".</param>
public sealed record PauseInput(
    [Limit(nameof(FieldLimits.PauseUntil))] DateTimeOffset? Until,
    [Limit(nameof(FieldLimits.PauseReason))] string? Reason)
{
    /// <remarks><see cref="Until"/> needs the clock: the handler checks it against <see cref="FieldLimits.PauseUntil"/>.</remarks>
    public void Validate(ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Until is null)
        {
            errors.Add($"{prefix}until", "Required.");
        }

        errors.Text($"{prefix}reason", Reason, FieldLimits.PauseReason);
    }

    /// <summary>Cut to whole microseconds, as PostgreSQL keeps it, so the same PUT again changes nothing.</summary>
    public ProfilePause ToPause() => new(Until!.Value.ToUniversalTime().AddTicks(-(Until.Value.Ticks % TimeSpan.TicksPerMicrosecond)), Reason);
}
