using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

public class EditDealTests
{
    [Fact]
    public void EditDeal_WithSomeMembersSet_ChangesOnlyThose()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = lead.Deal!;

        lead.EditDeal(new DealPatch(DealName: "Fabrikam tenant move", CrmId: null), LeadFactory.Partner, now);

        Assert.Equal(before with { DealName = "Fabrikam tenant move", CrmId = null }, lead.Deal);
        Assert.Equal(LeadStatus.Accepted, lead.Status);
        Assert.Equal(now, lead.UpdatedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.DealEdited, change.Kind);
        Assert.Equal(LeadStatus.Accepted, change.FromStatus);
        Assert.Equal(LeadStatus.Accepted, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal(now, change.At);
        Assert.Equal(
            [
                new FieldChange("dealName", "Fabrikam mailbox move", "Fabrikam tenant move"),
                new FieldChange("crmId", "CRM-991", null),
            ],
            change.Changes);
    }

    [Fact]
    public void EditDeal_WithEveryMemberSet_RecordsEachBeforeAndAfter()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var patch = new DealPatch(
            DealName: "Fabrikam tenant move",
            EstimatedValue: new Money(13000.5m, "USD"),
            EstimatedCloseDate: new DateOnly(2027, 3, 1),
            Notes: "Two tenants",
            CrmId: "CRM-992",
            CampaignId: "CMP-2027-02");

        lead.EditDeal(patch, LeadFactory.Partner, now);

        Assert.Equal(
            new Deal("Fabrikam tenant move", new Money(13000.5m, "USD"), new DateOnly(2027, 3, 1), "Two tenants", "CRM-992", "CMP-2027-02"),
            lead.Deal);
        Assert.Equal(
            [
                new FieldChange("dealName", "Fabrikam mailbox move", "Fabrikam tenant move"),
                new FieldChange("estimatedValue", "12000.00 EUR", "13000.50 USD"),
                new FieldChange("estimatedCloseDate", "2027-01-31", "2027-03-01"),
                new FieldChange("notes", "Tenant-to-tenant move", "Two tenants"),
                new FieldChange("crmId", "CRM-991", "CRM-992"),
                new FieldChange("campaignId", LeadFactory.DealCampaignId, "CMP-2027-02"),
            ],
            Assert.Single(lead.PendingChanges).Changes);
    }

    [Fact]
    public void EditDeal_WhenPatchRepeatsCurrentValues_RecordsNothingAndKeepsUpdatedAt()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var deal = lead.Deal!;
        var before = LeadSnapshot.Of(lead);
        // 12000 and 12000.00 are the same amount written differently.
        var patch = new DealPatch(deal.DealName, new Money(12000m, "EUR"), deal.EstimatedCloseDate, deal.Notes, deal.CrmId, deal.CampaignId);

        lead.EditDeal(patch, LeadFactory.Partner, now);

        Assert.Equal(before, LeadSnapshot.Of(lead));
        Assert.Empty(lead.PendingChanges);
    }

    [Fact]
    public void EditDeal_WithEmptyPatch_RecordsNothingAndKeepsUpdatedAt()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);

        lead.EditDeal(new DealPatch(), LeadFactory.Partner, now);

        Assert.Equal(before, LeadSnapshot.Of(lead));
        Assert.Empty(lead.PendingChanges);
    }

    [Fact]
    public void EditDeal_WhenReceived_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.EditDeal(new DealPatch(DealName: "Early"), LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Received, error.CurrentStatus);
        Assert.Equal([LeadAction.Accept, LeadAction.Decline], error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void Optional_Unset_KeepsFallbackAndSet_ReplacesItEvenWithNull()
    {
        Optional<string?> unset = default;
        Optional<string?> setToNull = null;

        Assert.False(unset.IsSet);
        Assert.Equal("kept", unset.Or("kept"));
        Assert.True(setToNull.IsSet);
        Assert.Null(setToNull.Or("kept"));
    }
}
