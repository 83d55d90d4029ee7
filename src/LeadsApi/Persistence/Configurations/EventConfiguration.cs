using LeadsApi.Domain.Leads;
using LeadsApi.Events;
using LeadsApi.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsApi.Persistence.Configurations;

internal sealed class StoredEventConfiguration : IEntityTypeConfiguration<StoredEvent>
{
    public void Configure(EntityTypeBuilder<StoredEvent> stored)
    {
        stored.ToTable("events");
        stored.HasKey(e => new { e.PartnerId, e.Id });
        stored.HasOne<Lead>().WithMany().HasForeignKey(e => new { e.PartnerId, e.LeadId }).OnDelete(DeleteBehavior.Restrict);
        stored.Property(e => e.Recipient).HasMaxLength(20);
        stored.Property(e => e.Type).HasMaxLength(40);
        // json, not jsonb: the text is kept as written, so what is signed and sent reads as it was serialized.
        stored.Property(e => e.Payload).HasColumnType("json");
        // The writing transaction's id (xid8, as a bigint): the change feed shows only rows below the oldest open one.
        stored.Property(e => e.TransactionId).HasDefaultValueSql("pg_current_xact_id()::text::bigint").ValueGeneratedOnAdd();
        stored.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        // The change feed reads one recipient's events in transaction order.
        stored.HasIndex(e => new { e.Recipient, e.RecipientId, e.TransactionId, e.Sequence });
        stored.HasIndex(e => e.OccurredAt);
        stored.HasIndex(e => e.Sequence).HasFilter("fanned_out_at IS NULL").HasDatabaseName("ix_events_not_fanned_out");
    }
}

internal sealed class LeadReminderConfiguration : IEntityTypeConfiguration<LeadReminder>
{
    public void Configure(EntityTypeBuilder<LeadReminder> reminder)
    {
        reminder.ToTable("lead_reminders");
        reminder.HasKey(r => new { r.PartnerId, r.LeadId, r.Type, r.DueAt });
        reminder.HasOne<Lead>().WithMany().HasForeignKey(r => new { r.PartnerId, r.LeadId }).OnDelete(DeleteBehavior.Cascade);
        reminder.Property(r => r.Type).HasMaxLength(40);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> subscription)
    {
        subscription.ToTable("webhook_subscriptions");
        subscription.HasKey(s => s.Id);
        subscription.HasIndex(s => new { s.OwnerKind, s.OwnerId });
        subscription.Property(s => s.OwnerKind).HasMaxLength(20);
        subscription.Property(s => s.Url).HasMaxLength(Limits.FieldLimits.WebhookUrl.MaxLength);
        subscription.Property(s => s.Description).HasMaxLength(Limits.FieldLimits.WebhookDescription.MaxLength);
        subscription.Property(s => s.Secret).HasMaxLength(100);
        subscription.Property(s => s.PreviousSecret).HasMaxLength(100);
        subscription.Property(s => s.LastFailureError).HasMaxLength(WebhookDelivery.MaxErrorLength);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.HasKey(d => new { d.SubscriptionId, d.Id });
        delivery.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<StoredEvent>().WithMany().HasForeignKey(d => new { d.EventPartnerId, d.EventId }).OnDelete(DeleteBehavior.Cascade);
        delivery.Property(d => d.EventType).HasMaxLength(40);
        delivery.Property(d => d.State).HasMaxLength(20);
        delivery.Property(d => d.Payload).HasColumnType("json");
        delivery.ComplexCollection(d => d.Attempts, attempts => attempts.ToJson());
        // The dispatcher's claim: pending deliveries by due time.
        delivery.HasIndex(d => new { d.NextAttemptAt }).HasFilter("state = 'pending'").HasDatabaseName("ix_webhook_deliveries_due");
    }
}
