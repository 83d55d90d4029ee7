using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>The sweep writes down what readers already see, exactly once.</summary>
public class ExpireTests
{
    public static TheoryData<LeadState> NotReceived =>
        [LeadState.Accepted, LeadState.Won, LeadState.Lost, LeadState.Declined, LeadState.Expired];

    [Fact]
    public void Expire_OneTickBeforeRespondBy_ReturnsFalseAndChangesNothing()
    {
        var lead = LeadFactory.Received();
        var before = LeadSnapshot.Of(lead);

        Assert.False(lead.Expire(lead.RespondBy - TimeSpan.FromTicks(1)));

        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void Expire_AtRespondBy_WritesExpired()
    {
        var lead = LeadFactory.Received();
        var sweptAt = lead.RespondBy;

        Assert.True(lead.Expire(sweptAt));

        Assert.Equal(LeadStatus.Expired, lead.Status);
        Assert.Equal(LeadStage.Archived, lead.StageAt(sweptAt));
        Assert.Equal(lead.RespondBy, lead.ClosedAt);
        Assert.Equal(sweptAt, lead.UpdatedAt);
        Assert.Null(lead.AcceptedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Expired, change.Kind);
        Assert.Equal(LeadStatus.Received, change.FromStatus);
        Assert.Equal(LeadStatus.Expired, change.ToStatus);
        Assert.Equal(Actor.System, change.Actor);
        Assert.Equal(sweptAt, change.At);
        Assert.Empty(change.Changes);
    }

    [Fact]
    public void Expire_WhenSweptLate_ClosesAtRespondByAndUpdatesAtSweep()
    {
        var (lead, now) = LeadFactory.In(LeadState.ExpiredNotYetWritten);

        Assert.True(lead.Expire(now));

        // The lead ended when its time ran out, not when the sweep noticed; the write itself is what delta sync sees.
        Assert.Equal(lead.RespondBy, lead.ClosedAt);
        Assert.Equal(now, lead.UpdatedAt);
    }

    [Fact]
    public void ClosedAtAsOf_PastRespondByBeforeTheSweep_IsRespondBy()
    {
        var (lead, now) = LeadFactory.In(LeadState.ExpiredNotYetWritten);

        Assert.Null(lead.ClosedAt);
        Assert.Equal(lead.RespondBy, lead.ClosedAtAsOf(now));
        Assert.Null(lead.ClosedAtAsOf(lead.RespondBy - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Expire_CalledTwice_WritesOnce()
    {
        var (lead, now) = LeadFactory.In(LeadState.ExpiredNotYetWritten);
        Assert.True(lead.Expire(now));
        var afterFirst = LeadSnapshot.Of(lead);

        Assert.False(lead.Expire(now.AddHours(1)));

        Assert.Equal(afterFirst, LeadSnapshot.Of(lead));
        Assert.Single(lead.PendingChanges);
    }

    [Theory]
    [MemberData(nameof(NotReceived))]
    public void Expire_WhenNotReceived_ReturnsFalseAndChangesNothing(LeadState state)
    {
        var (lead, _) = LeadFactory.In(state);
        var before = LeadSnapshot.Of(lead);

        Assert.False(lead.Expire(lead.RespondBy.AddDays(30)));

        Assert.Equal(before, LeadSnapshot.Of(lead));
    }
}
