using System.Text.Json;
using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    /// <summary>
    /// The id of the transaction that last wrote the lead, set by the database alone (a default on insert, the trigger
    /// <c>leads.stamp_change_position</c> on update, migration SyncPositions): the delta sync's order, read below the
    /// <see cref="CommitHorizon"/>. A shadow property, never sent by the application nor read back after a save.
    /// </summary>
    public const string ChangePosition = nameof(ChangePosition);

    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        lead.ToTable("leads");
        lead.HasKey(l => new { l.PartnerId, l.Id });
        lead.Property(l => l.Version).IsConcurrencyToken();
        lead.Ignore(l => l.PendingChanges);
        lead.HasOne<Partner>().WithMany().HasForeignKey(l => l.PartnerId).OnDelete(DeleteBehavior.Restrict);

        lead.Property(l => l.Status).HasMaxLength(20);
        lead.Property(l => l.Type).HasMaxLength(30);
        lead.Property(l => l.Need).HasMaxLength(FieldLimits.Need.MaxLength);
        lead.Property(l => l.ExternalId).HasMaxLength(FieldLimits.ExternalId.MaxLength);
        lead.Property(l => l.CampaignId).HasMaxLength(FieldLimits.CampaignId.MaxLength);

        // EF Core 10 declares no index or foreign key over a complex property's column (dotnet/efcore#31246), so
        // sender_id's index, the unique (partner_id, sender_id, external_id) that CreateLead relies on and the
        // foreign key to senders are SQL in the migrations (InitialSchema, ForeignKeys), as is the expression index.
        lead.ComplexProperty(l => l.Sender, sender =>
        {
            sender.Property(s => s.Kind).HasMaxLength(30);
            sender.Property(s => s.Name).HasMaxLength(FieldLimits.AccountName.MaxLength);
        });
        lead.ComplexProperty(l => l.Customer, customer =>
        {
            customer.Property(c => c.CompanyName).HasMaxLength(FieldLimits.CompanyName.MaxLength);
            customer.Property(c => c.ContactName).HasMaxLength(FieldLimits.ContactName.MaxLength);
            customer.Property(c => c.Email).HasMaxLength(FieldLimits.Email.MaxLength);
            customer.Property(c => c.Phone).HasMaxLength(FieldLimits.Phone.MaxLength);
            customer.Property(c => c.Country).HasMaxLength(FieldLimits.Country.MaxLength);
            customer.Property(c => c.CompanySize).HasMaxLength(20);
            customer.Property(c => c.Industry).HasMaxLength(FieldLimits.Industry.MaxLength);
        });
        lead.ComplexProperty(l => l.Deal, deal =>
        {
            deal.Property(d => d.DealName).HasMaxLength(FieldLimits.DealName.MaxLength).HasColumnName("deal_name");
            deal.Property(d => d.Notes).HasMaxLength(FieldLimits.Notes.MaxLength);
            deal.Property(d => d.CrmId).HasMaxLength(FieldLimits.CrmId.MaxLength);
            deal.Property(d => d.CampaignId).HasMaxLength(FieldLimits.CampaignId.MaxLength);
            deal.ComplexProperty(d => d.EstimatedValue, Money);
        });
        lead.ComplexProperty(l => l.Decline, decline =>
        {
            decline.Property(d => d.Reason).HasMaxLength(30);
            decline.Property(d => d.Notes).HasMaxLength(FieldLimits.Notes.MaxLength);
        });
        lead.ComplexProperty(l => l.Outcome, outcome =>
        {
            outcome.Property(o => o.Result).HasMaxLength(20);
            outcome.Property(o => o.LostReason).HasMaxLength(30);
            outcome.Property(o => o.Notes).HasMaxLength(FieldLimits.Notes.MaxLength);
            outcome.ComplexProperty(o => o.FinalValue, Money);
        });
        // The team lives in the lead's row as JSON: it is only ever read and written with its lead. JSON has no
        // column widths, so its members keep their limits through TeamMemberInput and Lead.MaxTeamMembers alone.
        lead.Ignore(l => l.Team);
        lead.ComplexCollection<List<TeamMember>, TeamMember>("_team", team => team.ToJson("team"));

        // Routing and its match are written once (the end of a routing aside) and read whole with the lead: JSON. The
        // re-routing worker's claim reads routing's members in SQL (migration Routing's partial index ix_leads_reroute_due).
        lead.Property(l => l.Routing).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, RoutingJson), v => JsonSerializer.Deserialize<LeadRouting>(v, RoutingJson));
        lead.Property(l => l.Match).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, RoutingJson), v => JsonSerializer.Deserialize<LeadMatch>(v, RoutingJson));

        // partner_id leads every index, so the table can be distributed by partner.
        lead.HasIndex(l => new { l.PartnerId, l.ReceivedAt, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.RespondBy, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.UpdatedAt, l.Id });
        lead.HasIndex(l => new { l.PartnerId, l.Status, l.RespondBy });
        lead.Property<long>(ChangePosition).HasDefaultValueSql("pg_current_xact_id()::text::bigint").ValueGeneratedNever();
        lead.Property<long>(ChangePosition).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        lead.Property<long>(ChangePosition).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        lead.HasIndex(nameof(Lead.PartnerId), ChangePosition, nameof(Lead.Id));
        // The expiry sweep looks across partners for received leads that are due (LeadRules.IsDueForExpiry); an
        // index filter is SQL text, so the rule's status half is written again here and must follow it.
        lead.HasIndex(l => l.RespondBy).HasFilter("status = 'received'").HasDatabaseName("ix_leads_due_for_expiry");
    }

    /// <summary>camelCase members and enum names, as the API and the worker's SQL spell them.</summary>
    internal static readonly JsonSerializerOptions RoutingJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static void Money(ComplexPropertyBuilder<Money> money)
    {
        // Unconstrained numeric keeps the scale the client sent: 12000.00 reads back as 12000.00, not 12000.0000.
        money.Property(m => m.Amount).HasColumnType("numeric");
        money.Property(m => m.Currency).HasMaxLength(FieldLimits.Currency.MaxLength).IsFixedLength();
    }
}
