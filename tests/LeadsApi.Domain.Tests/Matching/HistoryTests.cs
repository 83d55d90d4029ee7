using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

/// <summary>Responsiveness, outcome fit and capacity: what the partner's past and its week add to the score.</summary>
public class HistoryTests
{
    private const int Many = 1_000_000;

    private static MatchCandidate With(CandidateHistory history) => Candidate() with { History = history };

    [Fact]
    public void NewPartner_GetsTheNeutralPriorForResponsivenessAndOutcomeFit()
    {
        var ranked = Ranked(Request(), Candidate());

        var responsiveness = ranked.Components.Single(c => c.Kind == MatchComponentKind.Responsiveness);
        var outcome = ranked.Components.Single(c => c.Kind == MatchComponentKind.OutcomeFit);
        Assert.Equal(0.5, responsiveness.Value);
        Assert.Equal(0.5, outcome.Value);
        Assert.Equal("No answered or expired leads yet: the neutral prior 0.5.", responsiveness.Explanation);
        Assert.Equal("No similar past leads yet: the neutral prior 0.5.", outcome.Explanation);
    }

    [Fact]
    public void Responsiveness_AnswersAtOnceAlwaysWithin24hNeverExpires_ApproachesOne()
    {
        var history = new CandidateHistory { ResolvedLeads = Many, MedianHoursToRespond = 0, AnsweredWithin24hShare = 1, ExpiryRate = 0 };

        var value = Value(Request(), With(history), MatchComponentKind.Responsiveness);

        Assert.Equal(Shrunk(1, Many), value, 12);
        Assert.True(value > 0.99999);
    }

    [Fact]
    public void Responsiveness_NeverAnswersAndEverythingExpires_ApproachesZero()
    {
        var history = new CandidateHistory { ResolvedLeads = Many, MedianHoursToRespond = null, AnsweredWithin24hShare = 0, ExpiryRate = 1 };

        var value = Value(Request(), With(history), MatchComponentKind.Responsiveness);

        Assert.Equal(Shrunk(0, Many), value, 12);
        Assert.True(value < 0.00001);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(18, 0.75)]
    [InlineData(72, 0.0)]
    [InlineData(500, 0.0)]
    public void Responsiveness_MedianTimeToRespond_ScoresSpeedLinearlyOver72Hours(double medianHours, double speed)
    {
        var history = new CandidateHistory { ResolvedLeads = 10, MedianHoursToRespond = medianHours, AnsweredWithin24hShare = 0.5, ExpiryRate = 0.5 };

        var value = Value(Request(), With(history), MatchComponentKind.Responsiveness);

        Assert.Equal(Shrunk((speed + 0.5 + 0.5) / 3, 10), value, 12);
    }

    [Fact]
    public void Responsiveness_OneFastAnswer_MovesOnlyALittleFromThePrior()
    {
        var history = new CandidateHistory { ResolvedLeads = 1, MedianHoursToRespond = 0, AnsweredWithin24hShare = 1, ExpiryRate = 0 };

        // (1 x 1 + 5 x 0.5) / (1 + 5)
        Assert.Equal(3.5 / 6, Value(Request(), With(history), MatchComponentKind.Responsiveness), 12);
    }

    [Fact]
    public void Responsiveness_FastPartner_RanksAboveOneThatLetsLeadsExpire()
    {
        var fast = Candidate(2) with { History = new() { ResolvedLeads = 10, MedianHoursToRespond = 1, AnsweredWithin24hShare = 1, ExpiryRate = 0 } };
        var slow = Candidate(1) with { History = new() { ResolvedLeads = 10, MedianHoursToRespond = 100, AnsweredWithin24hShare = 0, ExpiryRate = 0.6 } };

        var ranked = Rank(Request(), slow, fast).Ranked;

        Assert.Equal([fast.PartnerId, slow.PartnerId], ranked.Select(r => r.PartnerId));
    }

    [Fact]
    public void OutcomeFit_AcceptsAndWinsEverything_ApproachesOne()
    {
        var history = new CandidateHistory { SimilarLeads = Many, SimilarAcceptanceRate = 1, SimilarClosedLeads = Many, SimilarWinRate = 1 };

        var value = Value(Request(), With(history), MatchComponentKind.OutcomeFit);

        Assert.Equal(Shrunk(1, Many), value, 12);
        Assert.True(value > 0.99999);
    }

    [Fact]
    public void OutcomeFit_DeclinesEverything_ApproachesZero()
    {
        var history = new CandidateHistory { SimilarLeads = Many, SimilarAcceptanceRate = 0, SimilarClosedLeads = Many, SimilarWinRate = 0 };

        Assert.True(Value(Request(), With(history), MatchComponentKind.OutcomeFit) < 0.00001);
    }

    [Fact]
    public void OutcomeFit_SmallSamples_AreShrunkTowardThePrior()
    {
        var history = new CandidateHistory { SimilarLeads = 1, SimilarAcceptanceRate = 1, SimilarClosedLeads = 0, SimilarWinRate = 0 };

        var component = Component(Request(), With(history), MatchComponentKind.OutcomeFit);

        // acceptance (1 + 2.5) / 6, win rate with no closed lead: the prior.
        Assert.Equal(((3.5 / 6) + 0.5) / 2, component.Value, 12);
        Assert.Equal("On similar past leads: accepted 100% of 1 (0.583 after the prior), won 0% of 0 closed (0.5 after the prior).", component.Explanation);
    }

    [Fact]
    public void History_FiguresThatAreNotNumbers_CountAsZeroAndKeepTheScoreANumber()
    {
        var history = new CandidateHistory
        {
            ResolvedLeads = 4, MedianHoursToRespond = double.NaN, AnsweredWithin24hShare = double.PositiveInfinity, ExpiryRate = double.NaN,
            SimilarLeads = 4, SimilarAcceptanceRate = double.NaN, SimilarClosedLeads = 4, SimilarWinRate = 7,
        };

        var ranked = Ranked(Request(), With(history));

        Assert.Equal(Shrunk((0 + 0 + 1) / 3.0, 4), ranked.Components.Single(c => c.Kind == MatchComponentKind.Responsiveness).Value, 12);
        Assert.Equal((Shrunk(0, 4) + Shrunk(1, 4)) / 2, ranked.Components.Single(c => c.Kind == MatchComponentKind.OutcomeFit).Value, 12);
        Assert.InRange(ranked.Score, 0, 1);
    }

    [Theory]
    [InlineData(10, 0, 1.0)]
    [InlineData(10, 9, 0.1)]
    [InlineData(4, 1, 0.75)]
    [InlineData(10, -3, 1.0)]
    public void Capacity_IsTheShareOfTheWeekStillOpen(int capacity, int thisWeek, double expected)
    {
        var candidate = Candidate() with { WeeklyCapacity = capacity, LeadsThisWeek = thisWeek };

        Assert.Equal(expected, Value(Request(), candidate, MatchComponentKind.Capacity), 12);
    }

    [Fact]
    public void Capacity_NotStated_IsTheNeutralPrior()
    {
        var component = Component(Request(), Candidate() with { WeeklyCapacity = null, LeadsThisWeek = 40 }, MatchComponentKind.Capacity);

        Assert.Equal(0.5, component.Value);
        Assert.Equal("No weekly capacity stated: the neutral 0.5.", component.Explanation);
    }
}
