using CsCheck;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

public class RankingTests
{
    [Fact]
    public void EqualPartners_FewestLeadsInTheLast7DaysRanksFirst()
    {
        var busy = Candidate(1) with { LeadsLast7Days = 9 };
        var quiet = Candidate(2) with { LeadsLast7Days = 2 };
        var between = Candidate(3) with { LeadsLast7Days = 5 };

        var ranked = Rank(Request(), busy, quiet, between).Ranked;

        Assert.Equal([quiet.PartnerId, between.PartnerId, busy.PartnerId], ranked.Select(r => r.PartnerId));
        Assert.Equal([1, 2, 3], ranked.Select(r => r.Rank));
        Assert.Single(ranked.Select(r => r.Score).Distinct());
    }

    [Fact]
    public void EqualPartnersEqualLoad_LowerPartnerIdRanksFirst()
    {
        var ranked = Rank(Request(), Candidate(7), Candidate(3), Candidate(5)).Ranked;

        Assert.Equal([PartnerId(3), PartnerId(5), PartnerId(7)], ranked.Select(r => r.PartnerId));
    }

    [Fact]
    public void ScoresEqualAfterRoundingTo6Decimals_Tie()
    {
        // Capacity 1 of 1,000,000 used costs 0.1 x 0.000001 = 1e-7 of the score: below the rounding, a tie.
        var full = Candidate(1) with { WeeklyCapacity = 1_000_000, LeadsThisWeek = 0, LeadsLast7Days = 2 };
        var used = Candidate(2) with { WeeklyCapacity = 1_000_000, LeadsThisWeek = 1, LeadsLast7Days = 0 };

        var ranked = Rank(Request(), full, used).Ranked;

        Assert.Equal([used.PartnerId, full.PartnerId], ranked.Select(r => r.PartnerId));
        Assert.Equal(0.475, ranked[0].Score);
        Assert.Equal(0.475, ranked[1].Score);
    }

    [Fact]
    public void ScoresDifferingIn6thDecimal_DoNotTie()
    {
        // 1 of 100,000 used costs 1e-6: the less loaded partner no longer wins.
        var full = Candidate(1) with { WeeklyCapacity = 100_000, LeadsThisWeek = 0, LeadsLast7Days = 2 };
        var used = Candidate(2) with { WeeklyCapacity = 100_000, LeadsThisWeek = 1, LeadsLast7Days = 0 };

        var ranked = Rank(Request(), used, full).Ranked;

        Assert.Equal([full.PartnerId, used.PartnerId], ranked.Select(r => r.PartnerId));
        Assert.Equal([0.475, 0.474999], ranked.Select(r => r.Score));
    }

    [Fact]
    public void Weights_DecideBetweenAFitFarPartnerAndANearUnfitOne()
    {
        var request = Request() with { Keywords = ["dynamics"], City = "Lisboa" };
        var fitFar = Candidate(1) with { ExpertiseKeywords = ["dynamics"], Locations = [new() { Country = "PT", City = "Porto" }] };
        var nearUnfit = Candidate(2) with { ExpertiseKeywords = ["sharepoint"], Locations = [new() { Country = "PT", City = "Lisboa" }] };

        var byDefault = MatchScoring.Rank(request, [fitFar, nearUnfit], MatchWeights.Default, Now).Ranked;
        var proximityFirst = MatchScoring.Rank(request, [fitFar, nearUnfit], MatchWeights.Default with { Proximity = 1 }, Now).Ranked;

        // Default: 0.35 x 1 + 0.15 x 0.4 = 0.41 against 0.35 x 0 + 0.15 x 1 = 0.15, the rest equal;
        // proximity weighted 1: 0.35 + 0.4 = 0.75 against 1.
        Assert.Equal([fitFar.PartnerId, nearUnfit.PartnerId], byDefault.Select(r => r.PartnerId));
        Assert.Equal([nearUnfit.PartnerId, fitFar.PartnerId], proximityFirst.Select(r => r.PartnerId));
        Assert.Equal(1, proximityFirst[0].Components.Single(c => c.Kind == MatchComponentKind.Proximity).Weight);
    }

    [Fact]
    public void Weights_AComponentWeighted0_DoesNotCount()
    {
        var weights = new MatchWeights { ProfileFit = 0, Proximity = 0, Responsiveness = 0, OutcomeFit = 0, Capacity = 2 };

        var ranked = Assert.Single(MatchScoring.Rank(Request(), [Candidate() with { WeeklyCapacity = 4, LeadsThisWeek = 1 }], weights, Now).Ranked);

        Assert.Equal(0.75, ranked.Score);
    }

    [Theory]
    [InlineData(-0.1, 0.1)]
    [InlineData(double.NaN, 0.1)]
    [InlineData(double.PositiveInfinity, 0.1)]
    [InlineData(0, 0)]
    public void Weights_ThatCannotMakeAScore_AreRefused(double profileFit, double rest)
    {
        var weights = new MatchWeights { ProfileFit = profileFit, Proximity = rest, Responsiveness = rest, OutcomeFit = rest, Capacity = rest };

        Assert.NotEmpty(weights.Problems());
        Assert.Throws<ArgumentException>(() => MatchScoring.Rank(Request(), [Candidate()], weights, Now));
    }

    [Fact]
    public void Weights_Default_AreValidAndSumTo1()
    {
        Assert.Empty(MatchWeights.Default.Problems());
        Assert.Equal(1, MatchWeights.Default.Sum, 12);
    }

    [Fact]
    public void Limit_ExplainsOnlyTheFirst_AndCountsAll()
    {
        var result = MatchScoring.Rank(Request(), [Candidate(1), Candidate(2), Candidate(3)], MatchWeights.Default, Now, limit: 2);

        Assert.Equal([PartnerId(1), PartnerId(2)], result.Ranked.Select(r => r.PartnerId));
        Assert.Equal(3, result.RankedCount);
    }

    [Fact]
    public void Components_AreListedInOneOrderWithTheirWeights()
    {
        var ranked = Ranked(Request(), Candidate());

        Assert.Equal(Enum.GetValues<MatchComponentKind>(), ranked.Components.Select(c => c.Kind));
        Assert.Equal([0.35, 0.15, 0.20, 0.20, 0.10], ranked.Components.Select(c => c.Weight));
        Assert.All(ranked.Components, c => Assert.False(string.IsNullOrWhiteSpace(c.Explanation)));
    }

    [Fact]
    public void Shuffled_GiveTheSameRankingAndExclusions() =>
        Gen.Select(Pool, Gen.Int[0, int.MaxValue]).Sample((candidates, seed) =>
        {
            var shuffled = candidates.ToArray();
            new Random(seed).Shuffle(shuffled);

            var first = MatchScoring.Rank(PoolRequest, candidates, MatchWeights.Default, Now);
            var second = MatchScoring.Rank(PoolRequest, shuffled, MatchWeights.Default, Now);

            Assert.Equal(Fingerprint(first), Fingerprint(second));
        }, iter: 200);

    [Fact]
    public void Ranked_AreOrderedByScoreThenLoadThenPartnerId() =>
        Pool.Sample(candidates =>
        {
            var ranked = MatchScoring.Rank(PoolRequest, candidates, MatchWeights.Default, Now).Ranked;

            for (var i = 1; i < ranked.Count; i++)
            {
                var (a, b) = (ranked[i - 1], ranked[i]);
                var inOrder = a.Score > b.Score
                    || (a.Score == b.Score && a.LeadsLast7Days < b.LeadsLast7Days)
                    || (a.Score == b.Score && a.LeadsLast7Days == b.LeadsLast7Days && a.PartnerId.CompareTo(b.PartnerId) < 0);
                Assert.True(inOrder, $"{a.PartnerId} ({a.Score}, {a.LeadsLast7Days}) before {b.PartnerId} ({b.Score}, {b.LeadsLast7Days})");
                Assert.Equal(i + 1, b.Rank);
            }
        }, iter: 200);

    [Fact]
    public void Score_IsAlwaysIn0To1_AndEveryComponentToo() =>
        Gen.Select(Pool, AnyWeights).Sample((candidates, weights) =>
        {
            foreach (var ranked in MatchScoring.Rank(PoolRequest, candidates, weights, Now).Ranked)
            {
                Assert.InRange(ranked.Score, 0, 1);
                Assert.All(ranked.Components, c => Assert.InRange(c.Value, 0, 1));
            }
        }, iter: 300);

    [Fact]
    public void Score_IsTheWeightedMeanOfTheShownComponents() =>
        // The ranking scores without writing sentences and explains afterwards: both must see the same numbers.
        Gen.Select(Pool, AnyWeights).Sample((candidates, weights) =>
        {
            foreach (var ranked in MatchScoring.Rank(PoolRequest, candidates, weights, Now).Ranked)
            {
                var mean = ranked.Components.Sum(c => c.Weight * c.Value) / ranked.Components.Sum(c => c.Weight);
                Assert.Equal(Math.Round(mean, 6, MidpointRounding.AwayFromZero), ranked.Score);
            }
        }, iter: 300);

    [Fact]
    public void Score_JustInsideTheRadius_CountsTheLocationAsWithin()
    {
        // Due north of the customer: the distance is the latitude gap itself, the edge of the shortcut that skips trigonometry.
        var office = new GeoPoint(Lisbon.Latitude + 0.3, Lisbon.Longitude);
        var location = new CandidateLocation { Country = "ES", Coordinates = office, ServiceRadiusKm = office.DistanceKmTo(Lisbon) + 1e-9 };
        var within = Candidate(2) with { Locations = [location] };
        var outside = Candidate(1) with { Locations = [location with { ServiceRadiusKm = office.DistanceKmTo(Lisbon) - 1e-9 }] };

        var ranked = Rank(Request() with { Coordinates = Lisbon }, outside, within).Ranked;

        Assert.Equal([within.PartnerId, outside.PartnerId], ranked.Select(r => r.PartnerId));
        Assert.Equal(0.15, ranked[0].Score - ranked[1].Score, 9);
    }

    private static readonly CustomerRequest PoolRequest = Request() with
    {
        Keywords = ["teams", "exchange"], Need = "Move mailboxes to Exchange Online with Intune", Industry = "retail",
        CompanySize = CompanySize.Small, Language = "pt", Region = "Lisboa", City = "Lisboa", Coordinates = Lisbon,
        CustomerEmailDomain = "fabrikam.example",
    };

    private static readonly Gen<double> AnyRate = Gen.OneOf(
        Gen.Double[0, 1], Gen.Double[-5, 5], Gen.OneOf(0.0, 1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity));

    private static readonly Gen<MatchWeights> AnyWeights = Gen.Select(
        Gen.Double[0, 3], Gen.Double[0, 3], Gen.Double[0, 3], Gen.Double[0, 3], Gen.Double[0.001, 3],
        (a, b, c, d, e) => new MatchWeights { ProfileFit = a, Proximity = b, Responsiveness = c, OutcomeFit = d, Capacity = e });

    private static readonly Gen<double?> AnyMedian = Gen.Frequency(
        (4, Gen.Double[-10, 200].Select(d => (double?)d)), (1, Gen.Const((double?)null)), (1, Gen.Const<double?>(double.NaN)));

    private static readonly Gen<CandidateHistory> AnyHistory = Gen.Select(
        Gen.Select(Gen.Int[-2, 40], AnyMedian, AnyRate, AnyRate),
        Gen.Select(Gen.Int[-2, 40], AnyRate, Gen.Int[-2, 40], AnyRate),
        (r, s) => new CandidateHistory
        {
            ResolvedLeads = r.Item1, MedianHoursToRespond = r.Item2, AnsweredWithin24hShare = r.Item3, ExpiryRate = r.Item4,
            SimilarLeads = s.Item1, SimilarAcceptanceRate = s.Item2, SimilarClosedLeads = s.Item3, SimilarWinRate = s.Item4,
        });

    private static readonly Gen<CandidateLocation> AnyLocation = Gen.Select(
        Gen.OneOf("PT", "ES"), Gen.OneOf("Lisboa", "Porto", null), Gen.Double[38, 42], Gen.Double[-10, -7], Gen.Int[0, 300],
        (country, region, lat, lon, radius) => new CandidateLocation
        {
            Country = country, Region = region, City = region, Coordinates = new(lat, lon), ServiceRadiusKm = radius,
        });

    // Few distinct profiles and loads, so that equal scores and the tie-break happen often.
    private static readonly Gen<MatchCandidate> AnyCandidate = Gen.Select(
        Gen.Select(
            Gen.OneOf<string[]>([], ["teams"], ["exchange online", "teams"], ["intune", "azure"]),
            Gen.OneOf<string[]>([], ["retail"]),
            Gen.OneOf<LeadType[]>([LeadType.CustomerInquiry], [LeadType.SalesQualified], Enum.GetValues<LeadType>()),
            Gen.Int[0, 3],
            Gen.Frequency((3, Gen.Const(CandidateHistory.None)), (1, AnyHistory))),
        Gen.Select(AnyLocation.Array[0, 2], Gen.Int[-1, 12], Gen.Int[-1, 14], Gen.Int[0, 20], Gen.Int[0, 95]),
        (p, w) => new MatchCandidate
        {
            PartnerId = Guid.Empty,
            Name = "",
            ExpertiseKeywords = p.Item1,
            Industries = p.Item2,
            CompanySizes = p.Item4 % 2 == 0 ? [CompanySize.Small] : [],
            Languages = ["pt"],
            LeadTypesAccepted = p.Item3,
            LeadsLast7Days = p.Item4,
            History = p.Item5,
            Locations = w.Item1,
            WeeklyCapacity = w.Item2 < 0 ? null : w.Item2,
            LeadsThisWeek = w.Item3,
            PausedUntil = w.Item4 == 0 ? Now.AddDays(1) : null,
            RecentAnswers = w.Item5 < 3
                ? [new(Guid.Empty, RecentAnswerKind.Declined, Now.AddDays(-w.Item5 * 40), "fabrikam.example", null)]
                : [],
        });

    private static readonly Gen<MatchCandidate[]> Pool =
        AnyCandidate.Array[0, 30].Select(candidates =>
            candidates.Select((c, i) => c with { PartnerId = PartnerId(i + 1), Name = $"Partner {i + 1}" }).ToArray());

    private static string Fingerprint(MatchResult result) =>
        string.Join("\n", result.Ranked.Select(r => $"{r.Rank} {r.PartnerId} {r.Score:R} {string.Join(" | ", r.Components.Select(c => $"{c.Value:R} {c.Explanation}"))}"))
        + "\n--\n"
        + string.Join("\n", result.Excluded.Select(e => $"{e.PartnerId} {string.Join(" | ", e.Reasons)}"));
}
