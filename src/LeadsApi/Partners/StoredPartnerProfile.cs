using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Domain.Partners;

namespace LeadsApi.Partners;

/// <summary>
/// A saved profile, one row per partner. The lists matching filters on are PostgreSQL arrays with GIN indexes
/// (the keywords' words, industries, lead types, and the locations' countries); the locations themselves are JSON, read whole.
/// Enums are stored as the camelCase text the API speaks.
/// </summary>
public sealed class StoredPartnerProfile
{
    public required Guid PartnerId { get; init; }

    /// <summary>The concurrency token: an update is written only where the version is still the one read.</summary>
    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string[] ExpertiseKeywords { get; set; } = [];

    /// <summary>The keywords' words, as matching compares them (<see cref="MatchScoring.ExpertiseWords"/>): what it filters candidates by.</summary>
    public string[] ExpertiseWords { get; set; } = [];
    public string[] Industries { get; set; } = [];
    public string[] CompanySizes { get; set; } = [];
    public string[] BusinessModels { get; set; } = [];
    public string[] LeadTypes { get; set; } = [];
    public string[] Languages { get; set; } = [];

    /// <summary>The locations' countries, each once: what matching filters candidates by.</summary>
    public string[] Countries { get; set; } = [];

    /// <summary>The locations as JSON (jsonb).</summary>
    public string Locations { get; set; } = "[]";

    public int? WeeklyCapacity { get; set; }
    public DateTimeOffset? PausedUntil { get; set; }
    public string? PauseReason { get; set; }

    public PartnerProfile ToProfile(JsonSerializerOptions json) => new(
        PartnerId, Version, UpdatedAt,
        ExpertiseKeywords, Industries,
        [.. CompanySizes.Select(Parse<CompanySize>)], [.. BusinessModels.Select(Parse<BusinessModel>)], [.. LeadTypes.Select(Parse<LeadType>)],
        Languages,
        JsonSerializer.Deserialize<List<ServiceLocation>>(Locations, json) ?? [],
        WeeklyCapacity,
        PausedUntil is { } until ? new ProfilePause(until, PauseReason) : null);

    public static StoredPartnerProfile New(Guid partnerId) => new() { PartnerId = partnerId };

    /// <summary>Holds <paramref name="profile"/> from now on.</summary>
    public void Write(PartnerProfile profile, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Version = profile.Version;
        UpdatedAt = profile.UpdatedAt ?? throw new ArgumentException("A saved profile has a time it was updated.", nameof(profile));
        ExpertiseKeywords = [.. profile.ExpertiseKeywords];
        ExpertiseWords = MatchScoring.ExpertiseWords(profile.ExpertiseKeywords);
        Industries = [.. profile.Industries];
        CompanySizes = [.. profile.CompanySizes.Select(Names.Of)];
        BusinessModels = [.. profile.BusinessModels.Select(Names.Of)];
        LeadTypes = [.. profile.LeadTypes.Select(Names.Of)];
        Languages = [.. profile.Languages];
        Countries = [.. profile.Locations.Select(l => l.Country).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Locations = JsonSerializer.Serialize(profile.Locations, json);
        WeeklyCapacity = profile.WeeklyCapacity;
        PausedUntil = profile.Pause?.Until;
        PauseReason = profile.Pause?.Reason;
    }

    private static T Parse<T>(string name) where T : struct, Enum => Enum.Parse<T>(name, ignoreCase: true);
}

/// <summary>One stored entry of a profile's timeline, written in the same transaction as the change.</summary>
public sealed class ProfileTimelineEntry
{
    public required Guid PartnerId { get; init; }
    public required Guid Id { get; init; }

    /// <summary>Written by the database, increasing: orders entries that share a timestamp.</summary>
    public long Sequence { get; init; }
    public required DateTimeOffset At { get; init; }
    public required ActorKind ActorKind { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    public required int Version { get; init; }
    public required List<FieldChange> Changes { get; init; }
}
