using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Leads;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Persistence;

public sealed class LeadsDbContext(DbContextOptions<LeadsDbContext> options) : DbContext(options)
{
    public const string Schema = "leads";

    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<Favorite> Favorites => Set<Favorite>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<Sender> Senders => Set<Sender>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Saves, and appends the timeline entries the tracked leads recorded, in one transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changed = ChangeTracker.Entries<Lead>().Select(e => e.Entity).Where(l => l.PendingChanges.Count > 0).ToList();
        foreach (var lead in changed)
        {
            Timeline.AddRange(lead.PendingChanges.Select(change => TimelineEntry.For(lead, change)));
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        changed.ForEach(l => l.ClearPendingChanges());
        return written;
    }

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
    }
}
