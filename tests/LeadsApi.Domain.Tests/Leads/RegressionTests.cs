using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>Regression tests for two bugs these tests found in the domain, kept so they stay fixed.</summary>
public class RegressionTests
{
    // Deal.Changes decides "did anything change" by comparing the timeline text, which once rendered
    // money with two decimals: KWD, BHD, JOD, OMR and TND have three, and such an edit was dropped.
    [Fact]
    public void EditDeal_WhenAmountChangesOnlyInTheThirdDecimal_UpdatesDeal()
    {
        var lead = LeadFactory.Accepted(LeadFactory.Acceptance(estimatedValue: new Money(1500.121m, "KWD")));
        var now = LeadFactory.ClosedAt;

        lead.EditDeal(new DealPatch(EstimatedValue: new Money(1500.124m, "KWD")), LeadFactory.Partner, now);

        Assert.Equal(new Money(1500.124m, "KWD"), lead.Deal?.EstimatedValue);
        Assert.Single(lead.PendingChanges);
        Assert.Equal(now, lead.UpdatedAt);
    }

    // LeadExpiredException once formatted respondBy in the value's own offset but labelled it Z, with
    // the culture's time separator; the message becomes a problem's detail, so it must be UTC.
    [Fact]
    public void LeadExpiredException_WhenTimesCarryAnOffset_StatesRespondByInUtc()
    {
        var lead = LeadFactory.Received(at: new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.FromHours(2)));

        var error = Assert.Throws<LeadExpiredException>(
            () => lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, lead.RespondBy));

        Assert.Contains("2026-12-08T10:00:00Z", error.Message, StringComparison.Ordinal);
    }
}
