using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>Every (state, action) pair of the state table: what is allowed moves the lead, the rest is refused.</summary>
public class StateTableTests
{
    [Theory]
    [MemberData(nameof(StateTable.AllowedPairs), MemberType = typeof(StateTable))]
    public void Action_WhenTableAllowsIt_MovesLeadAndRecordsOneChange(
        LeadAction action, LeadState state, LeadStatus to, LeadChangeKind kind)
    {
        var (lead, now) = LeadFactory.In(state);
        var from = lead.Status;
        var version = lead.Version;

        LeadActions.Perform(lead, action, now);

        // One change, one version more: an event carries it so receivers can drop a stale one.
        Assert.Equal(version + 1, lead.Version);

        Assert.Equal(to, lead.Status);
        Assert.Equal(to, lead.StatusAt(now));
        Assert.Equal(StateTable.Stage(to), lead.StageAt(now));
        Assert.Equal(now, lead.UpdatedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(kind, change.Kind);
        Assert.Equal(from, change.FromStatus);
        Assert.Equal(to, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(now, change.At);
    }

    [Theory]
    [MemberData(nameof(StateTable.RefusedPairs), MemberType = typeof(StateTable))]
    public void Action_WhenTableRefusesIt_ThrowsInvalidTransitionAndChangesNothing(LeadAction action, LeadState state)
    {
        var (lead, now) = LeadFactory.In(state);
        var before = LeadSnapshot.Of(lead);

        var version = lead.Version;

        var error = Assert.Throws<InvalidLeadTransitionException>(() => LeadActions.Perform(lead, action, now));
        Assert.Equal(version, lead.Version);

        Assert.Equal(action, error.Attempted);
        Assert.Equal(StateTable.Status(state), error.CurrentStatus);
        Assert.Equal(StateTable.Allowed(state), error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Theory]
    [MemberData(nameof(StateTable.ExpiredPairs), MemberType = typeof(StateTable))]
    public void Action_WhenExpired_ThrowsLeadExpiredAndChangesNothing(LeadAction action, LeadState state)
    {
        var (lead, now) = LeadFactory.In(state);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<LeadExpiredException>(() => LeadActions.Perform(lead, action, now));

        Assert.Equal(action, error.Attempted);
        Assert.Equal(LeadStatus.Expired, error.CurrentStatus);
        Assert.Empty(error.AllowedActions);
        Assert.Equal(lead.RespondBy, error.RespondBy);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Theory]
    [MemberData(nameof(StateTable.States), MemberType = typeof(StateTable))]
    public void AllowedActionsAt_ListsTheTableRow(LeadState state)
    {
        var (lead, now) = LeadFactory.In(state);

        Assert.Equal(StateTable.Allowed(state), lead.AllowedActionsAt(now));
    }

    [Theory]
    [MemberData(nameof(StateTable.States), MemberType = typeof(StateTable))]
    public void StatusAtAndStageAt_ReadTheState(LeadState state)
    {
        var (lead, now) = LeadFactory.In(state);

        Assert.Equal(StateTable.Status(state), lead.StatusAt(now));
        Assert.Equal(StateTable.Stage(StateTable.Status(state)), lead.StageAt(now));
    }

    [Fact]
    public void AllowedActionsAt_WhenReceived_IsAcceptAndDecline()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        Assert.Equal([LeadAction.Accept, LeadAction.Decline], lead.AllowedActionsAt(now));
    }

    [Fact]
    public void AllowedActionsAt_WhenAccepted_IsEditTeamAndOutcomes()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);

        Assert.Equal(
            [LeadAction.Edit, LeadAction.AddTeamMember, LeadAction.RemoveTeamMember, LeadAction.MarkWon, LeadAction.MarkLost],
            lead.AllowedActionsAt(now));
    }

    [Fact]
    public void StatusAt_WhenPastRespondByButNotWritten_IsExpiredWhileStoredStatusIsReceived()
    {
        var (lead, now) = LeadFactory.In(LeadState.ExpiredNotYetWritten);

        Assert.Equal(LeadStatus.Received, lead.Status);
        Assert.Equal(LeadStatus.Expired, lead.StatusAt(now));
    }
}
