using LeadsApi.Idempotency;
using LeadsApi.Limits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        record.HasKey(r => new { r.OwnerId, r.UserId, r.Key });
        record.Property(r => r.Key).HasMaxLength(FieldLimits.IdempotencyKey.MaxLength);
        record.Property(r => r.ResponseHeaders).HasColumnType("jsonb");
        // The purge deletes by age, across callers.
        record.HasIndex(r => r.ExpiresAt);
    }
}
