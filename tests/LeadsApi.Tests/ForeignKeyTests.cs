using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>The database refuses rows that name a lead, partner or sender that does not exist.</summary>
public sealed class ForeignKeyTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Favorite_OfAMissingLead_IsRefused()
    {
        var partner = await api.NewPartnerAsync();

        var error = await SaveFailsAsync(db => db.Favorites.Add(FavoriteOf(partner.PartnerId, Guid.CreateVersion7())));

        ForeignKeyViolation(error, "fk_favorites_leads_partner_id_lead_id");
    }

    [Fact]
    public async Task Favorite_OfAnotherPartnersLead_IsRefused()
    {
        // The key is (partner_id, lead_id): a lead id that exists, filed under another partner, is no lead.
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Fabrikam");
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(other.PartnerId);

        var error = await SaveFailsAsync(db => db.Favorites.Add(FavoriteOf(partner.PartnerId, Guid.Parse(lead.Id()))));

        ForeignKeyViolation(error, "fk_favorites_leads_partner_id_lead_id");
    }

    [Fact]
    public async Task TimelineEntry_OfAMissingLead_IsRefused()
    {
        var partner = await api.NewPartnerAsync();
        var lead = ReceivedLead(partner.PartnerId, new SenderRef(SenderKind.Marketplace, Guid.CreateVersion7(), "Marketplace"));

        var error = await SaveFailsAsync(db => db.Timeline.Add(TimelineEntry.For(lead, lead.PendingChanges.Single())));

        ForeignKeyViolation(error, "fk_timeline_entries_leads_partner_id_lead_id");
    }

    [Fact]
    public async Task Lead_OfAMissingPartner_IsRefused()
    {
        var sender = await api.NewSenderAsync();
        var lead = ReceivedLead(Guid.CreateVersion7(), new SenderRef(SenderKind.Marketplace, sender.SenderId, "Marketplace"));

        var error = await SaveFailsAsync(db => db.Leads.Add(lead));

        ForeignKeyViolation(error, "fk_leads_partners_partner_id");
    }

    [Fact]
    public async Task Lead_FromAMissingSender_IsRefusedAtCommit()
    {
        var partner = await api.NewPartnerAsync();
        var lead = ReceivedLead(partner.PartnerId, new SenderRef(SenderKind.Marketplace, Guid.CreateVersion7(), "Nobody"));

        var error = await SaveFailsAsync(db => db.Leads.Add(lead));

        ForeignKeyViolation(error, "fk_leads_senders_sender_id");
        Assert.Equal(0, await api.WithDbAsync(db => db.Leads.CountAsync(l => l.Id == lead.Id)));
    }

    [Fact]
    public async Task Lead_WithItsNewSenderInOneSave_IsStored()
    {
        // EF does not know the sender key (it is SQL), and orders unrelated inserts by table name: leads first.
        // Only a key checked at commit lets a sender and its first lead be saved together.
        var partner = await api.NewPartnerAsync();
        var sender = new Sender { Id = Guid.CreateVersion7(), Name = "Referral desk", Kind = SenderKind.Partner, CreatedAt = LeadsApiFactory.Start };
        var lead = ReceivedLead(partner.PartnerId, new SenderRef(sender.Kind, sender.Id, sender.Name));

        await api.WithDbAsync(db =>
        {
            db.Senders.Add(sender);
            db.Leads.Add(lead);
            return db.SaveChangesAsync();
        });

        Assert.Equal(sender.Id, await api.WithDbAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.Sender.Id).SingleAsync()));
    }

    [Fact]
    public async Task ApiKey_OfAMissingPartnerOrSender_IsRefused()
    {
        var partnerError = await SaveFailsAsync(db => db.ApiKeys.Add(KeyOf(partnerId: Guid.CreateVersion7(), senderId: null)));
        var senderError = await SaveFailsAsync(db => db.ApiKeys.Add(KeyOf(partnerId: null, senderId: Guid.CreateVersion7())));

        ForeignKeyViolation(partnerError, "fk_api_keys_partners_partner_id");
        ForeignKeyViolation(senderError, "fk_api_keys_senders_sender_id");
    }

    private async Task<Exception> SaveFailsAsync(Action<LeadsDbContext> add) =>
        await Assert.ThrowsAnyAsync<Exception>(() => api.WithDbAsync(db =>
        {
            add(db);
            return db.SaveChangesAsync();
        }));

    /// <summary>An immediate key fails the statement (a DbUpdateException); a deferred one fails the commit.</summary>
    internal static void ForeignKeyViolation(Exception error, string constraint)
    {
        var postgres = Causes(error).OfType<PostgresException>().FirstOrDefault();
        Assert.True(postgres is not null, $"no PostgresException in {error}");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, postgres.SqlState);
        Assert.Equal(constraint, postgres.ConstraintName);
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static Lead ReceivedLead(Guid partnerId, SenderRef sender) =>
        Lead.Receive(
            new NewLead(partnerId, LeadType.CustomerInquiry, sender,
                new Customer("Fabrikam Ltd", "Ana Silva", null, null, null, null, null), "Move 40 mailboxes", false, null, null),
            LeadWindows.Default,
            new Actor(ActorKind.Sender, sender.Id.ToString(), sender.Name),
            LeadsApiFactory.Start);

    private static Favorite FavoriteOf(Guid partnerId, Guid leadId) =>
        new() { PartnerId = partnerId, UserId = Guid.CreateVersion7(), LeadId = leadId, CreatedAt = LeadsApiFactory.Start };

    private static ApiKey KeyOf(Guid? partnerId, Guid? senderId) => new()
    {
        Id = Guid.CreateVersion7(),
        Hash = ApiKey.HashOf(ApiKey.NewSecret()),
        Prefix = ApiKey.SecretPrefix,
        PartnerId = partnerId,
        SenderId = senderId,
        UserId = Guid.CreateVersion7(),
        UserName = "Nobody",
        Roles = [Roles.PartnerAdmin],
        CreatedAt = LeadsApiFactory.Start,
    };
}
