using LeadsApi.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> entry)
    {
        entry.ToTable("timeline_entries");
        entry.HasKey(e => new { e.PartnerId, e.LeadId, e.Id });
        entry.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        entry.Property(e => e.Kind).HasMaxLength(30);
        entry.Property(e => e.ActorKind).HasMaxLength(20);
        entry.Property(e => e.ActorId).HasMaxLength(Limits.Identifier);
        entry.Property(e => e.ActorName).HasMaxLength(Limits.Name);
        entry.Property(e => e.FromStatus).HasMaxLength(20);
        entry.Property(e => e.ToStatus).HasMaxLength(20);
        entry.ComplexCollection(e => e.Changes, changes => changes.ToJson());
    }
}
