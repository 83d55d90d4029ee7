using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>
/// The expressions queries filter with, compiled, against the lead's own answers: for every written status, with and
/// without a contact request, just before, at and just after respond-by and the end of the hot window.
/// </summary>
public class LeadRulesTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan HotWindow = LeadWindows.Default.HotWindow;

    public static TheoryData<LeadState, bool> WrittenStates()
    {
        var data = new TheoryData<LeadState, bool>();
        foreach (var state in Enum.GetValues<LeadState>().Where(s => s != LeadState.ExpiredNotYetWritten))
        {
            data.Add(state, true);
            data.Add(state, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WrittenStates))]
    public void HasStatusAt_AtTheWindowEdges_HoldsForTheStatusTheLeadReads(LeadState state, bool contactRequested)
    {
        foreach (var (lead, now) in AtTheEdges(state, contactRequested))
        {
            foreach (var status in Enum.GetValues<LeadStatus>())
            {
                var holds = LeadRules.HasStatusAt(status, now).Compile()(lead);

                Assert.True(holds == (lead.StatusAt(now) == status), $"HasStatusAt({status}) is {holds} at {now:O} for a lead reading {lead.StatusAt(now)}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WrittenStates))]
    public void InStageAtAndStageAt_AtTheWindowEdges_AgreeWithStageAt(LeadState state, bool contactRequested)
    {
        foreach (var (lead, now) in AtTheEdges(state, contactRequested))
        {
            Assert.Equal(lead.StageAt(now), LeadRules.StageAt(now).Compile()(lead));
            foreach (var stage in Enum.GetValues<LeadStage>())
            {
                var holds = LeadRules.InStageAt(stage, now).Compile()(lead);

                Assert.True(holds == (lead.StageAt(now) == stage), $"InStageAt({stage}) is {holds} at {now:O} for a lead in {lead.StageAt(now)}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WrittenStates))]
    public void IsDueForExpiry_AtTheWindowEdges_HoldsExactlyWhenExpireWritesTheLead(LeadState state, bool contactRequested)
    {
        foreach (var (lead, now) in AtTheEdges(state, contactRequested))
        {
            var due = LeadRules.IsDueForExpiry(now).Compile()(lead);

            Assert.Equal(due, lead.Expire(now));
        }
    }

    [Theory]
    [MemberData(nameof(WrittenStates))]
    public void IsHotAt_AtTheWindowEdges_HoldsExactlyWhenTheContactRequestIsHot(LeadState state, bool contactRequested)
    {
        foreach (var (lead, now) in AtTheEdges(state, contactRequested))
        {
            var hot = LeadRules.IsHotAt(now, HotWindow).Compile()(lead);

            Assert.True(
                hot == (lead.ContactRequestAt(now, HotWindow).State == ContactRequestState.Hot),
                $"IsHotAt is {hot} at {now:O} for a lead reading {lead.StatusAt(now)}, contact requested {contactRequested}.");
        }
    }

    [Fact]
    public void TheEdges_CoverBothWindowsAndBothSidesOfEach()
    {
        var received = LeadFactory.Received();
        var moments = AtTheEdges(LeadState.Received, contactRequested: true).Select(c => c.Now).ToList();

        Assert.Contains(received.RespondBy - OneTick, moments);
        Assert.Contains(received.RespondBy + OneTick, moments);
        Assert.Contains(received.ReceivedAt + HotWindow - OneTick, moments);
        Assert.Contains(received.ReceivedAt + HotWindow + OneTick, moments);
        // Both answers occur, so the comparisons above can fail.
        Assert.Contains(moments, now => received.StatusAt(now) == LeadStatus.Expired);
        Assert.Contains(moments, now => received.ContactRequestAt(now, HotWindow).State == ContactRequestState.Hot);
    }

    /// <summary>A fresh lead for each moment, so a rule that writes (Expire) is checked on the lead as it was arranged.</summary>
    private static IEnumerable<(Lead Lead, DateTimeOffset Now)> AtTheEdges(LeadState state, bool contactRequested)
    {
        var arranged = LeadFactory.In(state, contactRequested).Lead;
        DateTimeOffset[] edges = [arranged.RespondBy, arranged.ReceivedAt + HotWindow];
        foreach (var edge in edges)
        {
            foreach (var now in new[] { edge - OneTick, edge, edge + OneTick })
            {
                yield return (LeadFactory.In(state, contactRequested).Lead, now);
            }
        }
    }
}
