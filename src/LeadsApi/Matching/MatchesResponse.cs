using LeadsApi.Domain.Matching;

namespace LeadsApi.Matching;

/// <summary>The partners ranked for a customer request, and those that cannot take it.</summary>
/// <param name="At">The time the match was made: pauses, capacity and history are as of then.</param>
/// <param name="Weights">The weights the scores were made with (configuration `Matching:Weights`).</param>
/// <param name="Considered">The partners scored: those with a location in the customer's country, at most `Matching:MaxCandidates` (100) of them, those sharing the most words with the request first.</param>
/// <param name="RankedCount">How many of them could take the request; `partners` holds the first `limit`.</param>
/// <param name="ExcludedCount">How many cannot; `excluded` holds at most `limit`, by partner id.</param>
/// <param name="Partners">Best first: rank 1 is the partner routing would choose.</param>
/// <param name="Excluded">Partners left out whatever their score, each with every reason that applies.</param>
public sealed record MatchesResponse(
    DateTimeOffset At,
    MatchWeightsResponse Weights,
    int Considered,
    int RankedCount,
    int ExcludedCount,
    IReadOnlyList<RankedPartner> Partners,
    IReadOnlyList<ExcludedPartner> Excluded)
{
    public static MatchesResponse From(MatchResult result, int considered, MatchWeights weights, DateTimeOffset at, int limit)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MatchesResponse(
            at,
            MatchWeightsResponse.From(weights),
            considered,
            result.RankedCount,
            result.Excluded.Count,
            [.. result.Ranked.Select(r => new RankedPartner(r.PartnerId, r.Name, r.Rank, r.Score, r.LeadsLast7Days, ScoreComponent.From(r.Components)))],
            [.. result.Excluded.Take(limit).Select(e => new ExcludedPartner(e.PartnerId, e.Name, [.. e.Reasons.Select(x => new ExclusionResponse(x.Reason, x.Explanation))]))]);
    }
}

/// <summary>The weight of each component; only their ratios matter.</summary>
public sealed record MatchWeightsResponse(double ProfileFit, double Proximity, double Responsiveness, double OutcomeFit, double Capacity)
{
    public static MatchWeightsResponse From(MatchWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new(weights.ProfileFit, weights.Proximity, weights.Responsiveness, weights.OutcomeFit, weights.Capacity);
    }
}

/// <summary>A partner's place in the ranking.</summary>
/// <param name="PartnerId">The partner, as `partnerId` of POST /v1/leads takes it.</param>
/// <param name="Name">The partner's name.</param>
/// <param name="Rank">1 for the best; no two partners share a rank.</param>
/// <param name="Score">In [0, 1]: the weighted mean of the components, rounded to 6 decimals.</param>
/// <param name="LeadsLast7Days">Leads it received in the last 7 days: equal scores go to the fewest.</param>
/// <param name="Components">What made the score, in a fixed order: profileFit, proximity, responsiveness, outcomeFit, capacity.</param>
public sealed record RankedPartner(Guid PartnerId, string Name, int Rank, double Score, int LeadsLast7Days, IReadOnlyList<ScoreComponent> Components);

/// <summary>One part of a score.</summary>
/// <param name="Component">profileFit, proximity, responsiveness, outcomeFit or capacity.</param>
/// <param name="Value">In [0, 1], rounded to 6 decimals.</param>
/// <param name="Weight">Its weight in the score.</param>
/// <param name="Explanation">Why it has this value, in one sentence.</param>
public sealed record ScoreComponent(MatchComponentKind Component, double Value, double Weight, string Explanation)
{
    public static IReadOnlyList<ScoreComponent> From(IEnumerable<MatchComponent> components) =>
        [.. components.Select(c => new ScoreComponent(
            c.Kind, Math.Round(c.Value, MatchScoring.ScoreDecimals, MidpointRounding.AwayFromZero), c.Weight, c.Explanation))];
}

/// <summary>A partner that cannot take the request.</summary>
public sealed record ExcludedPartner(Guid PartnerId, string Name, IReadOnlyList<ExclusionResponse> Reasons);

/// <summary>Why a partner is left out.</summary>
/// <param name="Reason">paused, atCapacity, leadTypeNotAccepted, declinedSameCustomer or expiredSameCustomer.</param>
/// <param name="Explanation">The same, in one sentence with the figures.</param>
public sealed record ExclusionResponse(ExclusionReason Reason, string Explanation);
