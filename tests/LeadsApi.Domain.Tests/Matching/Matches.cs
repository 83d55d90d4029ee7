using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;

namespace LeadsApi.Domain.Tests.Matching;

/// <summary>
/// A request and a candidate that name as little as possible, so that each test sets only what it is about, and
/// short ways to read one component or the ranking.
/// </summary>
internal static class Matches
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static readonly GeoPoint Lisbon = new(38.7223, -9.1393);

    public static readonly GeoPoint Porto = new(41.1579, -8.6291);

    public static CustomerRequest Request(LeadType type = LeadType.CustomerInquiry) =>
        new() { Country = "PT", LeadType = type };

    public static MatchCandidate Candidate(int id = 1, string? name = null) => new()
    {
        PartnerId = PartnerId(id),
        Name = name ?? $"Partner {id}",
        LeadTypesAccepted = Enum.GetValues<LeadType>(),
    };

    public static Guid PartnerId(int id) => new($"00000000-0000-7000-8000-{id:D12}");

    public static MatchResult Rank(CustomerRequest request, params MatchCandidate[] candidates) =>
        MatchScoring.Rank(request, candidates, MatchWeights.Default, Now);

    public static RankedCandidate Ranked(CustomerRequest request, MatchCandidate candidate) =>
        Assert.Single(Rank(request, candidate).Ranked);

    public static MatchComponent Component(CustomerRequest request, MatchCandidate candidate, MatchComponentKind kind) =>
        Ranked(request, candidate).Components.Single(c => c.Kind == kind);

    public static double Value(CustomerRequest request, MatchCandidate candidate, MatchComponentKind kind) =>
        Component(request, candidate, kind).Value;

    public static ExcludedCandidate Excluded(CustomerRequest request, MatchCandidate candidate)
    {
        var result = Rank(request, candidate);
        Assert.Empty(result.Ranked);
        Assert.Equal(0, result.RankedCount);
        return Assert.Single(result.Excluded);
    }

    /// <summary>The Bayesian average the doc states, written again here so a test compares two sources.</summary>
    public static double Shrunk(double rate, int sample) => ((sample * rate) + (5 * 0.5)) / (sample + 5);
}
