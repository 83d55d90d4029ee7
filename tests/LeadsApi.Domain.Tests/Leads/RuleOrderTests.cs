using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>
/// When both the status and an argument are wrong, the status is what the client hears: fixing the
/// argument could not make the action succeed.
/// </summary>
public class RuleOrderTests
{
    [Fact]
    public void DeclineWith_OtherWithoutNotes_WhenExpired_ThrowsLeadExpired()
    {
        var (lead, now) = LeadFactory.In(LeadState.ExpiredNotYetWritten);

        Assert.Throws<LeadExpiredException>(() => lead.DeclineWith(DeclineReason.Other, null, LeadFactory.Partner, now));
    }

    [Fact]
    public void DeclineWith_OtherWithoutNotes_WhenAccepted_ThrowsInvalidTransition()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.DeclineWith(DeclineReason.Other, null, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Accepted, error.CurrentStatus);
    }

    [Fact]
    public void MarkLost_OtherWithoutNotes_WhenWon_ThrowsInvalidTransition()
    {
        var (lead, now) = LeadFactory.In(LeadState.Won);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.MarkLost(LostReason.Other, null, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Won, error.CurrentStatus);
    }

    [Fact]
    public void MarkWon_ClosedBeforeAcceptance_WhenReceived_ThrowsInvalidTransition()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.MarkWon(new Money(1m, "EUR"), DateOnly.MinValue, null, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Received, error.CurrentStatus);
    }
}
