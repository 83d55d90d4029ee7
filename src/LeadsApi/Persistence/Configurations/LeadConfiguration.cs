using LeadsApi.Domain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        lead.ToTable("leads");
        lead.HasKey(l => new { l.PartnerId, l.Id });
        lead.Property(l => l.Version).IsRowVersion();
        lead.Ignore(l => l.PendingChanges);

        lead.Property(l => l.Status).HasMaxLength(20);
        lead.Property(l => l.Type).HasMaxLength(30);
        lead.Property(l => l.Need).HasMaxLength(Limits.LongText);
        lead.Property(l => l.ExternalId).HasMaxLength(Limits.Identifier);
        lead.Property(l => l.CampaignId).HasMaxLength(Limits.Identifier);

        lead.ComplexProperty(l => l.Sender, sender =>
        {
            sender.Property(s => s.Kind).HasMaxLength(30);
            sender.Property(s => s.Name).HasMaxLength(Limits.Name);
        });
        lead.ComplexProperty(l => l.Customer, customer =>
        {
            customer.Property(c => c.CompanyName).HasMaxLength(Limits.Name);
            customer.Property(c => c.ContactName).HasMaxLength(Limits.Name);
            customer.Property(c => c.Email).HasMaxLength(Limits.Email);
            customer.Property(c => c.Phone).HasMaxLength(Limits.Phone);
            customer.Property(c => c.Country).HasMaxLength(2);
            customer.Property(c => c.CompanySize).HasMaxLength(20);
            customer.Property(c => c.Industry).HasMaxLength(Limits.Name);
        });
        lead.ComplexProperty(l => l.Deal, deal =>
        {
            deal.Property(d => d.DealName).HasMaxLength(Limits.Name).HasColumnName("deal_name");
            deal.Property(d => d.Notes).HasMaxLength(Limits.LongText);
            deal.Property(d => d.CrmId).HasMaxLength(Limits.Identifier);
            deal.Property(d => d.CampaignId).HasMaxLength(Limits.Identifier);
            deal.ComplexProperty(d => d.EstimatedValue, Money);
        });
        lead.ComplexProperty(l => l.Decline, decline =>
        {
            decline.Property(d => d.Reason).HasMaxLength(30);
            decline.Property(d => d.Notes).HasMaxLength(Limits.LongText);
        });
        lead.ComplexProperty(l => l.Outcome, outcome =>
        {
            outcome.Property(o => o.Result).HasMaxLength(20);
            outcome.Property(o => o.LostReason).HasMaxLength(30);
            outcome.Property(o => o.Notes).HasMaxLength(Limits.LongText);
            outcome.ComplexProperty(o => o.FinalValue, Money);
        });
        // The team lives in the lead's row as JSON: it is only ever read and written with its lead.
        lead.Ignore(l => l.Team);
        lead.ComplexCollection<List<TeamMember>, TeamMember>("_team", team => team.ToJson("team"));

        // partner_id leads every index, so the table can be distributed by partner.
        lead.HasIndex(l => new { l.PartnerId, l.ReceivedAt, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.RespondBy, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.UpdatedAt, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.Status, l.RespondBy });
        // The expiry sweep looks across partners for received leads that are due.
        lead.HasIndex(l => l.RespondBy).HasFilter("status = 'received'").HasDatabaseName("ix_leads_due_for_expiry");
    }

    private static void Money(ComplexPropertyBuilder<Money> money)
    {
        // Unconstrained numeric keeps the scale the client sent: 12000.00 reads back as 12000.00, not 12000.0000.
        money.Property(m => m.Amount).HasColumnType("numeric");
        money.Property(m => m.Currency).HasMaxLength(3).IsFixedLength();
    }
}
