using LeadsApi.Identity;
using LeadsApi.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> partner)
    {
        partner.ToTable("partners");
        partner.Property(p => p.Name).HasMaxLength(FieldLimits.AccountName.MaxLength);
    }
}

internal sealed class SenderConfiguration : IEntityTypeConfiguration<Sender>
{
    public void Configure(EntityTypeBuilder<Sender> sender)
    {
        sender.ToTable("senders");
        sender.Property(s => s.Name).HasMaxLength(FieldLimits.AccountName.MaxLength);
        sender.Property(s => s.Kind).HasMaxLength(30);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.Property(k => k.Hash).HasMaxLength(64).IsFixedLength();
        key.HasIndex(k => k.Hash).IsUnique();
        key.Property(k => k.UserName).HasMaxLength(FieldLimits.AccountName.MaxLength);
        key.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength);
        key.Property(k => k.CreatedByName).HasMaxLength(FieldLimits.AccountName.MaxLength);
        // A key belongs to a partner's user or to a sender (the other id is null).
        key.HasOne<Partner>().WithMany().HasForeignKey(k => k.PartnerId).OnDelete(DeleteBehavior.Restrict);
        key.HasOne<Sender>().WithMany().HasForeignKey(k => k.SenderId).OnDelete(DeleteBehavior.Restrict);
    }
}
