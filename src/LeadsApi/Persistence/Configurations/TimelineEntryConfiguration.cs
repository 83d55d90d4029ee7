using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using LeadsApi.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    // A key's or a sender's id (a GUID) or "system": never sent by a client.
    private const int ActorIdLength = 100;

    public void Configure(EntityTypeBuilder<TimelineEntry> entry)
    {
        entry.ToTable("timeline_entries");
        entry.HasKey(e => new { e.PartnerId, e.LeadId, e.Id });
        entry.HasOne<Lead>().WithMany().HasForeignKey(e => new { e.PartnerId, e.LeadId }).OnDelete(DeleteBehavior.Restrict);
        entry.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        entry.Property(e => e.Kind).HasMaxLength(30);
        entry.Property(e => e.ActorKind).HasMaxLength(20);
        entry.Property(e => e.ActorId).HasMaxLength(ActorIdLength);
        entry.Property(e => e.ActorName).HasMaxLength(FieldLimits.AccountName.MaxLength);
        entry.Property(e => e.FromStatus).HasMaxLength(20);
        entry.Property(e => e.ToStatus).HasMaxLength(20);
        entry.ComplexCollection(e => e.Changes, changes => changes.ToJson());
    }
}
