namespace LeadsApi.Domain.Matching;

/// <summary>The partners ranked for one customer request, and those left out with their reasons.</summary>
public sealed record MatchResult(
    IReadOnlyList<RankedCandidate> Ranked,
    int RankedCount,
    IReadOnlyList<ExcludedCandidate> Excluded);

/// <summary>A partner's place in the ranking: its score in [0, 1] (rounded to 6 decimals) and what made it.</summary>
public sealed record RankedCandidate(
    Guid PartnerId,
    string Name,
    int Rank,
    double Score,
    int LeadsLast7Days,
    IReadOnlyList<MatchComponent> Components);

/// <summary>One part of the score: its value in [0, 1], its weight, and a sentence saying why.</summary>
public sealed record MatchComponent(MatchComponentKind Kind, double Value, double Weight, string Explanation);

public enum MatchComponentKind
{
    ProfileFit,
    Proximity,
    Responsiveness,
    OutcomeFit,
    Capacity,
}

/// <summary>A partner that cannot take this request, with every reason that applies.</summary>
public sealed record ExcludedCandidate(Guid PartnerId, string Name, IReadOnlyList<Exclusion> Reasons);

public sealed record Exclusion(ExclusionReason Reason, string Explanation);

/// <summary>The closed set of reasons that keep a partner out of the ranking whatever its score.</summary>
public enum ExclusionReason
{
    /// <summary>The partner paused new leads until after the request's time.</summary>
    Paused,
    /// <summary>The partner received its weekly capacity of new leads already.</summary>
    AtCapacity,
    /// <summary>The partner does not take leads of the request's type.</summary>
    LeadTypeNotAccepted,
    /// <summary>The partner declined a lead from the same customer (email domain or company) in the last 90 days.</summary>
    DeclinedSameCustomer,
    /// <summary>The partner let a lead from the same customer (email domain or company) expire in the last 90 days.</summary>
    ExpiredSameCustomer,
}
