using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

public class AcceptTests
{
    [Fact]
    public void Accept_WhenReceived_CopiesAcceptanceIntoDeal()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);

        Assert.Equal(
            new Deal("Fabrikam mailbox move", new Money(12000.00m, "EUR"), new DateOnly(2027, 1, 31),
                "Tenant-to-tenant move", "CRM-991", LeadFactory.DealCampaignId),
            lead.Deal);
        Assert.Equal(LeadStatus.Accepted, lead.Status);
        Assert.Equal(LeadStage.Accepted, lead.StageAt(now));
        Assert.Equal(now, lead.AcceptedAt);
        Assert.Equal(now, lead.UpdatedAt);
        Assert.Null(lead.ClosedAt);
        Assert.Null(lead.Decline);
        Assert.Null(lead.Outcome);
    }

    [Fact]
    public void Accept_WhenReceived_RecordsEveryDealFieldOnTheTimeline()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);

        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Accepted, change.Kind);
        Assert.Equal(LeadStatus.Received, change.FromStatus);
        Assert.Equal(LeadStatus.Accepted, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(now, change.At);
        Assert.Equal(
            [
                new FieldChange("dealName", null, "Fabrikam mailbox move"),
                new FieldChange("estimatedValue", null, "12000.00 EUR"),
                new FieldChange("estimatedCloseDate", null, "2027-01-31"),
                new FieldChange("notes", null, "Tenant-to-tenant move"),
                new FieldChange("crmId", null, "CRM-991"),
                new FieldChange("campaignId", null, LeadFactory.DealCampaignId),
            ],
            change.Changes);
    }

    [Fact]
    public void Accept_WhenReceived_CopiesContactsIntoTeamWithFreshIds()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);
        var (other, _) = LeadFactory.In(LeadState.Received);

        lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);
        other.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);

        Assert.Equal(
            [LeadFactory.LiWei, LeadFactory.SamOkafor],
            lead.Team.Select(m => new NewTeamMember(m.Name, m.Phone, m.Email)));
        var ids = lead.Team.Concat(other.Team).Select(m => m.Id).ToList();
        Assert.DoesNotContain(Guid.Empty, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Accept_WhenAcceptanceHasNoCampaign_UsesTheLeadsCampaign()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);

        lead.Accept(LeadFactory.Acceptance(campaignId: null), LeadFactory.Partner, now);

        Assert.Equal(LeadFactory.LeadCampaignId, lead.Deal?.CampaignId);
    }

    [Fact]
    public void Accept_WhenNeitherHasACampaign_LeavesCampaignEmpty()
    {
        var lead = LeadFactory.Received(campaignId: null);

        lead.Accept(LeadFactory.Acceptance(campaignId: null), LeadFactory.Partner, LeadFactory.AcceptedAt);

        Assert.Null(lead.Deal?.CampaignId);
        Assert.DoesNotContain(Assert.Single(lead.PendingChanges).Changes, c => c.Field == "campaignId");
    }

    [Fact]
    public void Accept_WhenAccepted_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Accepted, error.CurrentStatus);
        Assert.Contains(LeadAction.MarkWon, error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void Accept_WhenDeclined_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Declined);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Declined, error.CurrentStatus);
        Assert.Empty(error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }
}
