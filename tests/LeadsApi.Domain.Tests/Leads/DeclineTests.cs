using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

public class DeclineTests
{
    [Fact]
    public void DeclineWith_WhenReceived_ArchivesWithReasonAndNotes()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.DeclineWith(DeclineReason.NotAFit, "We do not serve retail", LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Declined, lead.Status);
        Assert.Equal(LeadStage.Archived, lead.StageAt(now));
        Assert.Equal(new DeclineAnswer(DeclineReason.NotAFit, "We do not serve retail"), lead.Decline);
        Assert.Equal(now, lead.ClosedAt);
        Assert.Equal(now, lead.UpdatedAt);
        Assert.Null(lead.AcceptedAt);
        Assert.Null(lead.Deal);
        Assert.Empty(lead.Team);
        Assert.Null(lead.Outcome);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Declined, change.Kind);
        Assert.Equal(LeadStatus.Received, change.FromStatus);
        Assert.Equal(LeadStatus.Declined, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(
            [new FieldChange("reason", null, "notAFit"), new FieldChange("notes", null, "We do not serve retail")],
            change.Changes);
    }

    [Fact]
    public void DeclineWith_WithoutNotes_RecordsOnlyTheReason()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.DeclineWith(DeclineReason.Duplicate, null, LeadFactory.Partner, now);

        Assert.Equal(new DeclineAnswer(DeclineReason.Duplicate, null), lead.Decline);
        Assert.Equal([new FieldChange("reason", null, "duplicate")], Assert.Single(lead.PendingChanges).Changes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void DeclineWith_OtherWithoutNotes_ThrowsOnNotes(string? notes)
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<LeadValidationException>(
            () => lead.DeclineWith(DeclineReason.Other, notes, LeadFactory.Partner, now));

        Assert.Equal("notes", error.Field);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void DeclineWith_OtherWithNotes_Declines()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.DeclineWith(DeclineReason.Other, "Customer wants on-premises only", LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Declined, lead.Status);
        Assert.Equal(new DeclineAnswer(DeclineReason.Other, "Customer wants on-premises only"), lead.Decline);
    }

    [Fact]
    public void DeclineWith_WhenAccepted_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.DeclineWith(DeclineReason.NotAFit, null, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Accepted, error.CurrentStatus);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }
}
