using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;

namespace LeadsApi.Domain.Partners;

/// <summary>Who at a location hears of a new lead.</summary>
public sealed record NotificationContact(string Name, string Email, string? Phone);

/// <summary>
/// A place the partner works from. Without a radius it serves its whole country; with one (and coordinates), the
/// customers within that many kilometres.
/// </summary>
public sealed record ServiceLocation(
    string Name,
    string Country,
    string? Region,
    string? City,
    GeoPoint? Coordinates,
    int? ServiceRadiusKm,
    NotificationContact? Contact);

/// <summary>The partner takes no new leads until <see cref="Until"/>; a pause that has passed no longer holds.</summary>
public sealed record ProfilePause(DateTimeOffset Until, string? Reason)
{
    public bool HoldsAt(DateTimeOffset now) => now < Until;
}

/// <summary>What a partner says it does, as given in one PUT: <see cref="PartnerProfile.Update"/> normalizes it.</summary>
public sealed record ProfileDraft(
    IReadOnlyList<string> ExpertiseKeywords,
    IReadOnlyList<string> Industries,
    IReadOnlyList<CompanySize> CompanySizes,
    IReadOnlyList<BusinessModel> BusinessModels,
    IReadOnlyList<LeadType> LeadTypes,
    IReadOnlyList<string> Languages,
    IReadOnlyList<ServiceLocation> Locations,
    int? WeeklyCapacity,
    ProfilePause? Pause);

/// <summary>One update of a profile: who, when, the version it made and the members it changed.</summary>
public sealed record ProfileChange(Guid Id, DateTimeOffset At, Actor Actor, int Version, IReadOnlyList<string> ChangedFields);

/// <summary>
/// A partner's business profile: what it does, for whom, where, and how many new leads it takes. Matching reads it;
/// the partner's admins write it whole. Empty lists of sizes, models and lead types mean "any": a partner that has said
/// nothing excludes nothing. Version 0 is the profile of a partner that never saved one.
/// </summary>
public sealed record PartnerProfile(
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
    ProfilePause? Pause)
{
    public const int MaxKeywords = 50;
    public const int MaxIndustries = 20;
    public const int MaxLanguages = 20;
    public const int MaxLocations = 20;

    /// <summary>The member names the API gives the profile's parts, as the timeline and events name them.</summary>
    public static class Fields
    {
        public const string ExpertiseKeywords = "expertiseKeywords";
        public const string Industries = "industries";
        public const string CompanySizes = "companySizes";
        public const string BusinessModels = "businessModels";
        public const string LeadTypes = "leadTypes";
        public const string Languages = "languages";
        public const string Locations = "locations";
        public const string WeeklyCapacity = "weeklyCapacity";
        public const string Pause = "pause";
    }

    /// <summary>The profile of a partner that never saved one: version 0, nothing said, nothing excluded.</summary>
    public static PartnerProfile Empty(Guid partnerId) => new(partnerId, 0, null, [], [], [], [], [], [], [], null, null);

    public bool IsPausedAt(DateTimeOffset now) => Pause?.HoldsAt(now) == true;

    /// <summary>An empty list of lead types accepts every type.</summary>
    public bool Accepts(LeadType type) => LeadTypes.Count == 0 || LeadTypes.Contains(type);

    /// <summary>An empty list of company sizes serves every size.</summary>
    public bool Serves(CompanySize size) => CompanySizes.Count == 0 || CompanySizes.Contains(size);

    /// <summary>How many more new leads this week, given how many it got; null when the capacity is unlimited.</summary>
    public int? RemainingCapacity(int leadsThisWeek) => WeeklyCapacity is { } capacity ? Math.Max(0, capacity - leadsThisWeek) : null;

    /// <summary>
    /// The profile as <paramref name="draft"/> says, normalized: keywords and industries as <see cref="ProfileText.Terms"/>,
    /// language tags in their conventional case, sizes, models and types each once in their declared order, text trimmed.
    /// When that is what the profile holds already, nothing changes: the same profile and no change (a repeated PUT
    /// makes no new version, timeline entry or event).
    /// </summary>
    public (PartnerProfile Profile, ProfileChange? Change) Update(ProfileDraft draft, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(actor);
        var next = Normalize(draft);
        var changed = ChangedFields(next);
        if (changed.Count == 0)
        {
            return (this, null);
        }

        var updated = next with { Version = Version + 1, UpdatedAt = now };
        return (updated, new ProfileChange(Guid.CreateVersion7(now), now, actor, updated.Version, changed));
    }

    /// <summary>The members whose values differ from <paramref name="other"/>'s, in the order the API lists them.</summary>
    public IReadOnlyList<string> ChangedFields(PartnerProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var changed = new List<string>();
        Compare(changed, Fields.ExpertiseKeywords, ExpertiseKeywords, other.ExpertiseKeywords);
        Compare(changed, Fields.Industries, Industries, other.Industries);
        Compare(changed, Fields.CompanySizes, CompanySizes, other.CompanySizes);
        Compare(changed, Fields.BusinessModels, BusinessModels, other.BusinessModels);
        Compare(changed, Fields.LeadTypes, LeadTypes, other.LeadTypes);
        Compare(changed, Fields.Languages, Languages, other.Languages);
        Compare(changed, Fields.Locations, Locations, other.Locations);
        if (WeeklyCapacity != other.WeeklyCapacity)
        {
            changed.Add(Fields.WeeklyCapacity);
        }

        if (Pause != other.Pause)
        {
            changed.Add(Fields.Pause);
        }

        return changed;
    }

    private PartnerProfile Normalize(ProfileDraft draft)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(draft.ExpertiseKeywords.Count, MaxKeywords, nameof(draft));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(draft.Locations.Count, MaxLocations, nameof(draft));
        if (draft.WeeklyCapacity is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(draft), "A weekly capacity is not negative.");
        }

        return this with
        {
            ExpertiseKeywords = ProfileText.Terms(draft.ExpertiseKeywords),
            Industries = ProfileText.Terms(draft.Industries),
            CompanySizes = [.. draft.CompanySizes.Distinct().Order()],
            BusinessModels = [.. draft.BusinessModels.Distinct().Order()],
            LeadTypes = [.. draft.LeadTypes.Distinct().Order()],
            Languages = ProfileText.LanguageTags(draft.Languages),
            Locations = [.. draft.Locations.Select(Trimmed)],
            WeeklyCapacity = draft.WeeklyCapacity,
            Pause = draft.Pause is { } pause ? pause with { Reason = Blank(pause.Reason) } : null,
        };
    }

    private static ServiceLocation Trimmed(ServiceLocation location) => location with
    {
        Name = location.Name.Trim(),
        Country = location.Country.Trim().ToUpperInvariant(),
        Region = Blank(location.Region),
        City = Blank(location.City),
        Contact = location.Contact is { } contact
            ? contact with { Name = contact.Name.Trim(), Email = contact.Email.Trim(), Phone = Blank(contact.Phone) }
            : null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static void Compare<T>(List<string> changed, string field, IReadOnlyList<T> mine, IReadOnlyList<T> theirs)
    {
        if (!mine.SequenceEqual(theirs))
        {
            changed.Add(field);
        }
    }
}
