using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>Won and lost: how an accepted lead ends.</summary>
public class OutcomeTests
{
    private static readonly DateOnly AcceptedDay = DateOnly.FromDateTime(LeadFactory.AcceptedAt.UtcDateTime);

    [Fact]
    public void MarkWon_WhenAccepted_ArchivesWithOutcome()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var deal = lead.Deal;

        lead.MarkWon(new Money(11500.00m, "EUR"), LeadFactory.WonOn, "Signed", LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Won, lead.Status);
        Assert.Equal(LeadStage.Archived, lead.StageAt(now));
        Assert.Equal(new Outcome(LeadStatus.Won, new Money(11500.00m, "EUR"), LeadFactory.WonOn, null, "Signed"), lead.Outcome);
        Assert.Equal(now, lead.ClosedAt);
        Assert.Equal(now, lead.UpdatedAt);
        Assert.Equal(LeadFactory.AcceptedAt, lead.AcceptedAt);
        Assert.Equal(deal, lead.Deal);
        Assert.Null(lead.Decline);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Won, change.Kind);
        Assert.Equal(LeadStatus.Accepted, change.FromStatus);
        Assert.Equal(LeadStatus.Won, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(
            [
                new FieldChange("finalValue", null, "11500.00 EUR"),
                new FieldChange("closedOn", null, "2026-11-26"),
                new FieldChange("notes", null, "Signed"),
            ],
            change.Changes);
    }

    [Fact]
    public void MarkWon_ClosedOnTheAcceptedDay_Wins()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);

        lead.MarkWon(new Money(11500.00m, "EUR"), AcceptedDay, null, LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Won, lead.Status);
        Assert.Equal(AcceptedDay, lead.Outcome?.ClosedOn);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void MarkWon_ClosedOnAfterToday_ThrowsOnlyBeyondADayOfSlack(int daysAfterToday, bool throws)
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var closedOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(daysAfterToday);

        var error = Record.Exception(() => lead.MarkWon(new Money(1m, "EUR"), closedOn, null, LeadFactory.Partner, now));

        if (throws)
        {
            Assert.Equal("closedOn", Assert.IsType<LeadValidationException>(error).Field);
            Assert.Equal(LeadStatus.Accepted, lead.Status);
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(LeadStatus.Won, lead.Status);
        }
    }

    [Fact]
    public void MarkWon_ClosedOnBeforeTheAcceptedDay_ThrowsOnClosedOn()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<LeadValidationException>(
            () => lead.MarkWon(new Money(11500.00m, "EUR"), AcceptedDay.AddDays(-1), null, LeadFactory.Partner, now));

        Assert.Equal("closedOn", error.Field);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void MarkLost_WhenAccepted_ArchivesWithOutcome()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);

        lead.MarkLost(LostReason.Competitor, "Chose a local firm", LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Lost, lead.Status);
        Assert.Equal(LeadStage.Archived, lead.StageAt(now));
        Assert.Equal(new Outcome(LeadStatus.Lost, null, null, LostReason.Competitor, "Chose a local firm"), lead.Outcome);
        Assert.Equal(now, lead.ClosedAt);
        Assert.Equal(now, lead.UpdatedAt);
        Assert.Equal(LeadFactory.AcceptedAt, lead.AcceptedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Lost, change.Kind);
        Assert.Equal(LeadStatus.Accepted, change.FromStatus);
        Assert.Equal(LeadStatus.Lost, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(
            [new FieldChange("reason", null, "competitor"), new FieldChange("notes", null, "Chose a local firm")],
            change.Changes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void MarkLost_OtherWithoutNotes_ThrowsOnNotes(string? notes)
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<LeadValidationException>(
            () => lead.MarkLost(LostReason.Other, notes, LeadFactory.Partner, now));

        Assert.Equal("notes", error.Field);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void MarkLost_OtherWithNotes_Loses()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);

        lead.MarkLost(LostReason.Other, "Project cancelled", LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Lost, lead.Status);
        Assert.Equal(new Outcome(LeadStatus.Lost, null, null, LostReason.Other, "Project cancelled"), lead.Outcome);
    }

    [Fact]
    public void MarkWon_WhenLost_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Lost);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.MarkWon(new Money(11500.00m, "EUR"), LeadFactory.WonOn, null, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Lost, error.CurrentStatus);
        Assert.Empty(error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }
}
