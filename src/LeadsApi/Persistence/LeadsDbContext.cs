using LeadsApi.Domain.Leads;
using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LeadsApi.Persistence;

/// <remarks>
/// Contexts are pooled, so the constructor takes the options only; the outbox writer, which builds the events of the changes
/// it saves, comes from the application's services (a design-time context has none and cannot save a lead's change).
/// </remarks>
public sealed class LeadsDbContext(DbContextOptions<LeadsDbContext> options) : DbContext(options)
{
    public const string Schema = "leads";

    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<Favorite> Favorites => Set<Favorite>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<Sender> Senders => Set<Sender>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<StoredEvent> Events => Set<StoredEvent>();
    public DbSet<LeadReminder> Reminders => Set<LeadReminder>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();
    public DbSet<Partners.StoredPartnerProfile> PartnerProfiles => Set<Partners.StoredPartnerProfile>();
    public DbSet<Partners.ProfileTimelineEntry> ProfileTimeline => Set<Partners.ProfileTimelineEntry>();

    /// <summary>
    /// Saves, and appends the timeline entries the tracked leads recorded and their events (the outbox), in one
    /// transaction: a change is never written without its events, nor an event without its change.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changed = ChangeTracker.Entries<Lead>().Select(e => e.Entity).Where(l => l.PendingChanges.Count > 0).ToList();
        foreach (var lead in changed)
        {
            Timeline.AddRange(lead.PendingChanges.Select(change => TimelineEntry.For(lead, change)));
            Events.AddRange(Outbox.ForPendingChanges(lead));
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        changed.ForEach(l => l.ClearPendingChanges());
        return written;
    }

    private OutboxWriter Outbox =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<OutboxWriter>()
        ?? throw new InvalidOperationException("This context has no outbox writer, so it cannot save a lead's change.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LeadsDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Statuses and other enums are stored as the same camelCase text the API speaks.
        configurationBuilder.Properties<LeadStatus>().HaveConversion<CamelCaseEnumConverter<LeadStatus>>();
        configurationBuilder.Properties<LeadType>().HaveConversion<CamelCaseEnumConverter<LeadType>>();
        configurationBuilder.Properties<LeadChangeKind>().HaveConversion<CamelCaseEnumConverter<LeadChangeKind>>();
        configurationBuilder.Properties<ActorKind>().HaveConversion<CamelCaseEnumConverter<ActorKind>>();
        configurationBuilder.Properties<SenderKind>().HaveConversion<CamelCaseEnumConverter<SenderKind>>();
        configurationBuilder.Properties<CompanySize>().HaveConversion<CamelCaseEnumConverter<CompanySize>>();
        configurationBuilder.Properties<DeclineReason>().HaveConversion<CamelCaseEnumConverter<DeclineReason>>();
        configurationBuilder.Properties<LostReason>().HaveConversion<CamelCaseEnumConverter<LostReason>>();
        configurationBuilder.Properties<EventRecipient>().HaveConversion<CamelCaseEnumConverter<EventRecipient>>();
        configurationBuilder.Properties<DeliveryState>().HaveConversion<CamelCaseEnumConverter<DeliveryState>>();
    }
}
