using System.Globalization;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Partners;

namespace LeadsApi.Partners;

/// <summary>A partner's business profile, as its users read it.</summary>
/// <param name="PartnerId">The partner.</param>
/// <param name="Version">Raised by one with each change; 0 for a partner that never saved a profile.</param>
/// <param name="UpdatedAt">When it last changed; null at version 0.</param>
/// <param name="ExpertiseKeywords">Trimmed, lower case, each once, in the order first given.</param>
/// <param name="Industries">Normalized as keywords are; empty: any.</param>
/// <param name="CompanySizes">Each once, smallest first; empty: any.</param>
/// <param name="BusinessModels">Each once, in the contract's order.</param>
/// <param name="LeadTypes">Each once, in the contract's order; empty: every type.</param>
/// <param name="Languages">BCP 47 tags in their conventional case (pt-PT), each once.</param>
/// <param name="Locations">Where the partner works from.</param>
/// <param name="WeeklyCapacity">The most new leads a week; null: no limit.</param>
/// <param name="Pause">The pause as saved, also once it has passed; null: none.</param>
/// <param name="Paused">True while the pause holds (now before pause.until).</param>
/// <param name="ETag">This representation's tag, as in the ETag header: send it as If-Match to change the profile only if nobody changed it since.</param>
public sealed record PartnerProfileResponse(
    Guid PartnerId,
    int Version,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<string> ExpertiseKeywords,
    IReadOnlyList<string> Industries,
    IReadOnlyList<CompanySize> CompanySizes,
    IReadOnlyList<BusinessModel> BusinessModels,
    IReadOnlyList<LeadType> LeadTypes,
    IReadOnlyList<string> Languages,
    IReadOnlyList<ServiceLocation> Locations,
    int? WeeklyCapacity,
    ProfilePause? Pause,
    bool Paused,
    [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string ETag)
{
    public static PartnerProfileResponse From(PartnerProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var paused = profile.IsPausedAt(now);
        return new(profile.PartnerId, profile.Version, profile.UpdatedAt, profile.ExpertiseKeywords, profile.Industries, profile.CompanySizes,
            profile.BusinessModels, profile.LeadTypes, profile.Languages, profile.Locations, profile.WeeklyCapacity, profile.Pause, paused,
            ProfileETag.Of(profile, paused));
    }
}

/// <summary>One change of the profile.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="At">When it changed.</param>
/// <param name="Actor">Who changed it (a partner admin's key or sign-in).</param>
/// <param name="Version">The profile's version after the change.</param>
/// <param name="Changes">Each member it changed, with its value before and after as JSON text.</param>
public sealed record ProfileTimelineEntryResponse(Guid Id, DateTimeOffset At, Actor Actor, int Version, IReadOnlyList<FieldChange> Changes);

/// <summary>The profile's changes, oldest first.</summary>
public sealed record ProfileTimelineResponse(IReadOnlyList<ProfileTimelineEntryResponse> Items);

/// <summary>
/// The profile's ETag: <c>"version-paused"</c>. The paused part makes a new tag when a pause ends by the clock; If-Match
/// compares the version alone, as a lead's does.
/// </summary>
public static class ProfileETag
{
    public static string Of(PartnerProfile profile, bool paused)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return string.Create(CultureInfo.InvariantCulture, $"\"{profile.Version}-{(paused ? 1 : 0)}\"");
    }

    /// <summary>Throws <see cref="ProfilePreconditionFailedException"/> unless If-Match is absent, <c>*</c>, or names the current version.</summary>
    public static void EnsureMatches(string? ifMatch, int version, string currentETag)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        var matches = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(tag => VersionOf(tag) == version);
        if (!matches)
        {
            throw new ProfilePreconditionFailedException(currentETag);
        }
    }

    // A strong tag only (RFC 9110): W/"..." never matches If-Match.
    private static int? VersionOf(string tag)
    {
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"')
        {
            return null;
        }

        var opaque = tag.AsSpan(1, tag.Length - 2);
        var dash = opaque.IndexOf('-');
        return int.TryParse(dash < 0 ? opaque : opaque[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

/// <summary>The caller's If-Match does not name the profile's current version.</summary>
public sealed class ProfilePreconditionFailedException(string currentETag)
    : Exception("The If-Match header does not match the profile's current ETag; read the profile again.")
{
    public string CurrentETag { get; } = currentETag;
}
