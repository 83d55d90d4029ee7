using LeadsApi.Persistence;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>The migrations apply to a database that already holds the previous migration's data.</summary>
public sealed class MigrationTests
{
    private const string BeforeForeignKeys = "20261126002757_InitialSchema";
    private const string PartnerId = "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11";
    private const string SenderId = "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12";
    private const string LeadId = "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a13";

    [Fact]
    public async Task ForeignKeys_OnExistingData_AreValid_AndRestoreTheSenderALeadNames()
    {
        await using var db = await DatabaseAtAsync(BeforeForeignKeys);
        // As bench/seed-leads.sql used to write them: a lead whose sender has no row.
        await ExecuteAsync(db, $"{Partner}; {LeadFromSender}; {TimelineEntry}; {Favorite}; {PartnerKey}");

        await db.GetService<IMigrator>().MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(
            ["fk_api_keys_partners_partner_id", "fk_api_keys_senders_sender_id", "fk_events_leads_partner_id_lead_id",
             "fk_favorites_leads_partner_id_lead_id", "fk_lead_reminders_leads_partner_id_lead_id",
             "fk_leads_partners_partner_id", "fk_leads_senders_sender_id",
             "fk_partner_profile_timeline_partners_partner_id", "fk_partner_profiles_partners_partner_id",
             "fk_timeline_entries_leads_partner_id_lead_id",
             "fk_webhook_deliveries_events_event_partner_id_event_id", "fk_webhook_deliveries_webhook_subscriptions_subscription_id"],
            await ValidForeignKeysAsync(db));
        // The lead's version, which was its xmin, is now the count of its changes: its one timeline entry.
        Assert.Equal(1, (await db.Leads.SingleAsync(l => l.Id == Guid.Parse(LeadId))).Version);
        var sender = await db.Senders.SingleAsync(s => s.Id == Guid.Parse(SenderId));
        Assert.Equal(("Platform Marketing", Domain.Leads.SenderKind.PlatformMarketing), (sender.Name, sender.Kind));
        Assert.Equal(1, await db.Favorites.CountAsync());
    }

    [Fact]
    public async Task ForeignKeys_WithAnOrphanedFavorite_FailAndChangeNothing()
    {
        await using var db = await DatabaseAtAsync(BeforeForeignKeys);
        await ExecuteAsync(db, $"{Partner}; {LeadFromSender}; {Favorite.Replace(LeadId, $"{Guid.CreateVersion7()}", StringComparison.Ordinal)}");

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.GetService<IMigrator>().MigrateAsync());

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Equal("fk_favorites_leads_partner_id_lead_id", error.ConstraintName);
        Assert.Equal([BeforeForeignKeys], await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await ValidForeignKeysAsync(db));
        Assert.Equal(0, await db.Senders.CountAsync());
    }

    private const string Partner = $"""
        INSERT INTO leads.partners (id, name, created_at) VALUES ('{PartnerId}', 'Contoso', now())
        """;

    private const string LeadFromSender = $"""
        INSERT INTO leads.leads (id, partner_id, type, need, contact_requested, status, received_at, respond_by, updated_at,
            customer_company_name, customer_contact_name, sender_id, sender_kind, sender_name, team)
        VALUES ('{LeadId}', '{PartnerId}', 'marketingQualified',
            'Licensing review', false, 'received', now(), now() + interval '14 days', now(),
            'Tailspin Toys', 'Maria Garcia', '{SenderId}', 'platformMarketing', 'Platform Marketing', '[]')
        """;

    private const string TimelineEntry = $"""
        INSERT INTO leads.timeline_entries (partner_id, lead_id, id, kind, at, actor_kind, actor_id, actor_name, to_status, changes)
        VALUES ('{PartnerId}', '{LeadId}', gen_random_uuid(), 'received', now(),
            'sender', '{SenderId}', 'Platform Marketing', 'received', '[]')
        """;

    private const string Favorite = $"""
        INSERT INTO leads.favorites (partner_id, user_id, lead_id, created_at)
        VALUES ('{PartnerId}', gen_random_uuid(), '{LeadId}', now())
        """;

    private const string PartnerKey = $"""
        INSERT INTO leads.api_keys (id, hash, partner_id, user_id, user_name, roles, created_at)
        VALUES (gen_random_uuid(), repeat('a', 64), '{PartnerId}', gen_random_uuid(), 'admin', ARRAY['partnerAdmin'], now())
        """;

    private static async Task<LeadsDbContext> DatabaseAtAsync(string migration)
    {
        var options = PersistenceExtensions.UseLeadsDatabase(new DbContextOptionsBuilder<LeadsDbContext>(), await TestPostgres.CreateDatabaseAsync()).Options;
        var db = new LeadsDbContext(options);
        await db.GetService<IMigrator>().MigrateAsync(migration);
        return db;
    }

    private static async Task ExecuteAsync(LeadsDbContext db, string sql) => await db.Database.ExecuteSqlRawAsync(sql);

    private static async Task<List<string>> ValidForeignKeysAsync(LeadsDbContext db) =>
        await db.Database.SqlQueryRaw<string>(
                "SELECT conname AS \"Value\" FROM pg_constraint WHERE contype = 'f' AND convalidated AND connamespace = 'leads'::regnamespace ORDER BY conname")
            .ToListAsync();
}
