using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Matching;

/// <summary>
/// One partner as matching sees it: what its business profile says it serves, how loaded it is this week, how it
/// answered leads before, and what it answered to this customer lately. Built by the caller (from the stored profile,
/// the scorecard and the leads); the scoring reads nothing else.
/// </summary>
public sealed record MatchCandidate
{
    public required Guid PartnerId { get; init; }

    public required string Name { get; init; }

    /// <summary>Expertise keywords; compared word by word, case-insensitively, with the request's keywords and need.</summary>
    public IReadOnlyList<string> ExpertiseKeywords { get; init; } = [];

    public IReadOnlyList<string> Industries { get; init; } = [];

    public IReadOnlyList<CompanySize> CompanySizes { get; init; } = [];

    /// <summary>For example <c>projectServices</c>, <c>managedServices</c>, <c>licensing</c>, <c>software</c>.</summary>
    public IReadOnlyList<string> BusinessModels { get; init; } = [];

    /// <summary>The lead types the partner takes; a type not listed excludes the partner (an empty list takes none).</summary>
    public IReadOnlyList<LeadType> LeadTypesAccepted { get; init; } = [];

    /// <summary>BCP 47 tags (<c>pt</c>, <c>pt-PT</c>).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    public IReadOnlyList<CandidateLocation> Locations { get; init; } = [];

    /// <summary>New leads the partner takes per week; null when the profile states none.</summary>
    public int? WeeklyCapacity { get; init; }

    /// <summary>New leads the partner received in the current capacity week.</summary>
    public int LeadsThisWeek { get; init; }

    /// <summary>While the request's time is before this, the partner is paused and excluded.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Leads received in the last 7 days: the fairness tie-break, fewest first.</summary>
    public int LeadsLast7Days { get; init; }

    public CandidateHistory History { get; init; } = CandidateHistory.None;

    /// <summary>
    /// Leads the partner declined or let expire, with the customer they came from; the caller may pass only those
    /// of the last 90 days from the same email domain or company, the scoring checks both again.
    /// </summary>
    public IReadOnlyList<RecentAnswer> RecentAnswers { get; init; } = [];
}

/// <summary>A place the partner works from.</summary>
public sealed record CandidateLocation
{
    public string Name { get; init; } = "";

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Country { get; init; }

    public string? Region { get; init; }

    public string? City { get; init; }

    public GeoPoint? Coordinates { get; init; }

    /// <summary>How far from <see cref="Coordinates"/> the partner serves customers, in kilometres.</summary>
    public double? ServiceRadiusKm { get; init; }
}

/// <summary>A point on the earth in decimal degrees (WGS 84).</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Mean earth radius, the one the haversine distance uses.</summary>
    public const double EarthRadiusKm = 6371.0;

    /// <summary>The great-circle (haversine) distance in kilometres.</summary>
    public double DistanceKmTo(GeoPoint other)
    {
        const double ToRadians = Math.PI / 180.0;
        var dLat = (other.Latitude - Latitude) * ToRadians;
        var dLon = (other.Longitude - Longitude) * ToRadians;
        var sinLat = Math.Sin(dLat / 2);
        var sinLon = Math.Sin(dLon / 2);
        var a = (sinLat * sinLat)
            + (Math.Cos(Latitude * ToRadians) * Math.Cos(other.Latitude * ToRadians) * sinLon * sinLon);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1.0, Math.Sqrt(a)));
    }
}

/// <summary>
/// The scorecard's figures that matching reads, each with the number of leads it was computed from, so that few leads
/// move a partner only a little away from the neutral prior.
/// </summary>
public sealed record CandidateHistory
{
    /// <summary>A partner that has answered nothing yet.</summary>
    public static readonly CandidateHistory None = new();

    /// <summary>Leads answered (accepted or declined) or expired in the scorecard window: the responsiveness sample.</summary>
    public int ResolvedLeads { get; init; }

    /// <summary>Median hours from received to accept or decline; null when nothing was answered.</summary>
    public double? MedianHoursToRespond { get; init; }

    /// <summary>Share of the resolved leads answered within 24 hours, in [0, 1].</summary>
    public double AnsweredWithin24hShare { get; init; }

    /// <summary>Share of the resolved leads that expired, in [0, 1].</summary>
    public double ExpiryRate { get; init; }

    /// <summary>Similar past leads answered or expired: the sample of <see cref="SimilarAcceptanceRate"/>.</summary>
    public int SimilarLeads { get; init; }

    /// <summary>Accepted / (answered or expired) among the similar past leads, in [0, 1].</summary>
    public double SimilarAcceptanceRate { get; init; }

    /// <summary>Similar past leads closed as won or lost: the sample of <see cref="SimilarWinRate"/>.</summary>
    public int SimilarClosedLeads { get; init; }

    /// <summary>Won / (won + lost) among the similar past leads, in [0, 1].</summary>
    public double SimilarWinRate { get; init; }
}

/// <summary>A lead the partner declined or let expire, and the customer it came from.</summary>
public sealed record RecentAnswer(
    Guid LeadId,
    RecentAnswerKind Kind,
    DateTimeOffset At,
    string? CustomerEmailDomain,
    string? CustomerCompany);

public enum RecentAnswerKind
{
    Declined,
    Expired,
}
