using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class PartnerProfileConfiguration : IEntityTypeConfiguration<StoredPartnerProfile>
{
    public void Configure(EntityTypeBuilder<StoredPartnerProfile> profile)
    {
        profile.ToTable("partner_profiles");
        profile.HasKey(p => p.PartnerId);
        profile.HasOne<Partner>().WithOne().HasForeignKey<StoredPartnerProfile>(p => p.PartnerId).OnDelete(DeleteBehavior.Restrict);
        profile.Property(p => p.Version).IsConcurrencyToken();
        profile.Property(p => p.Locations).HasColumnType("jsonb");
        profile.Property(p => p.PauseReason).HasMaxLength(FieldLimits.PauseReason.MaxLength);
        // Matching finds candidates among many partners by overlap (&&) or containment (@>) of these arrays.
        profile.HasIndex(p => p.ExpertiseKeywords).HasMethod("gin");
        profile.HasIndex(p => p.ExpertiseWords).HasMethod("gin");
        profile.HasIndex(p => p.Industries).HasMethod("gin");
        profile.HasIndex(p => p.Countries).HasMethod("gin");
        profile.HasIndex(p => p.LeadTypes).HasMethod("gin");
    }
}

internal sealed class ProfileTimelineEntryConfiguration : IEntityTypeConfiguration<ProfileTimelineEntry>
{
    public void Configure(EntityTypeBuilder<ProfileTimelineEntry> entry)
    {
        entry.ToTable("partner_profile_timeline");
        entry.HasKey(e => new { e.PartnerId, e.Id });
        entry.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerId).OnDelete(DeleteBehavior.Restrict);
        entry.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        entry.Property(e => e.ActorKind).HasMaxLength(20);
        entry.Property(e => e.ActorId).HasMaxLength(100);
        entry.Property(e => e.ActorName).HasMaxLength(FieldLimits.AccountName.MaxLength);
        entry.ComplexCollection(e => e.Changes, changes => changes.ToJson());
        entry.HasIndex(e => new { e.PartnerId, e.Sequence });
    }
}
