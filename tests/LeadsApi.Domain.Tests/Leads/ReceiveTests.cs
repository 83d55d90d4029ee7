using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

public class ReceiveTests
{
    [Fact]
    public void Receive_StartsReceivedAndRecordsTheSender()
    {
        var details = new NewLead(
            Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11"),
            LeadType.MarketingQualified,
            new SenderRef(SenderKind.PlatformMarketing, Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12"), "Marketing"),
            new Customer("Fabrikam Ltd", "Ana Silva", null, null, "PT", null, null),
            "Move 40 mailboxes",
            ContactRequested: true,
            CampaignId: "CMP-2026-11",
            ExternalId: "mkt-123");

        var lead = Lead.Receive(details, LeadWindows.Default, LeadFactory.Sender, LeadFactory.ReceivedAt);

        Assert.NotEqual(Guid.Empty, lead.Id);
        Assert.Equal(details.PartnerId, lead.PartnerId);
        Assert.Equal(LeadType.MarketingQualified, lead.Type);
        Assert.Equal(details.Sender, lead.Sender);
        Assert.Equal(details.Customer, lead.Customer);
        Assert.Equal("CMP-2026-11", lead.CampaignId);
        Assert.Equal("mkt-123", lead.ExternalId);
        Assert.True(lead.ContactRequested);
        Assert.Equal(LeadStatus.Received, lead.Status);
        Assert.Equal(LeadFactory.ReceivedAt, lead.UpdatedAt);
        Assert.Null(lead.AcceptedAt);
        Assert.Null(lead.ClosedAt);
        Assert.Null(lead.Deal);
        Assert.Empty(lead.Team);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.Received, change.Kind);
        Assert.Null(change.FromStatus);
        Assert.Equal(LeadStatus.Received, change.ToStatus);
        Assert.Equal(LeadFactory.Sender, change.Actor);
        Assert.Equal(LeadFactory.ReceivedAt, change.At);
    }
}
