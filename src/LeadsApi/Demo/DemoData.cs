using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.LocalDatabase;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Demo;

/// <summary>The demo keys, printed at start-up so the README's curl walk-through can be pasted.</summary>
public sealed record DemoKeys(Guid PartnerId, string PartnerKey, string ReaderKey, string SenderKey, string PlatformKey);

/// <summary>
/// Seeds a demo partner with leads of every type in every stage, once: a second run finds the partner
/// and adds nothing. Keys are stored only as hashes, so the printable keys are kept in a file in the
/// private data folder; when that file is missing, fresh keys are issued.
/// </summary>
public sealed class DemoData(LeadsDbContext db, ApiKeyIssuer issuer, TimeProvider time, IOptions<LeadsOptions> options)
{
    public static readonly Guid PartnerId = Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11");
    private static readonly Guid MarketplaceSenderId = Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12");
    private static readonly Guid MarketingSenderId = Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a13");
    private static readonly JsonSerializerOptions KeyFileJson = new() { WriteIndented = true };

    public async Task<DemoKeys> SeedAsync(string? keyFile, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == PartnerId, cancellationToken))
        {
            await SeedLeadsAsync(cancellationToken);
        }

        if (keyFile is not null && File.Exists(keyFile)
            && JsonSerializer.Deserialize<DemoKeys>(await File.ReadAllTextAsync(keyFile, cancellationToken)) is { } saved
            && await StillValidAsync(saved, cancellationToken))
        {
            return saved;
        }

        var partnerKey = await issuer.CreatePartnerUserKeyAsync(PartnerId, "Demo Admin", [Roles.PartnerAdmin], cancellationToken);
        var readerKey = await issuer.CreatePartnerUserKeyAsync(PartnerId, "Demo Reader", [Roles.ReferralsReader], cancellationToken);
        var senderKey = await issuer.CreateSenderKeyAsync(MarketplaceSenderId, cancellationToken);
        var platformKey = await issuer.CreatePlatformKeyAsync("Demo Platform Admin", cancellationToken);
        var keys = new DemoKeys(PartnerId, partnerKey.ApiKey, readerKey.ApiKey, senderKey.ApiKey, platformKey.ApiKey);
        if (keyFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            await File.WriteAllTextAsync(keyFile, JsonSerializer.Serialize(keys, KeyFileJson), cancellationToken);
            OwnerOnly.Restrict(keyFile);
        }

        return keys;
    }

    private async Task<bool> StillValidAsync(DemoKeys keys, CancellationToken cancellationToken)
    {
        // A key file from before the platform key has none: issue a fresh set.
        if (new[] { keys.PartnerKey, keys.ReaderKey, keys.SenderKey, keys.PlatformKey }.Any(string.IsNullOrEmpty))
        {
            return false;
        }

        string[] hashes = [ApiKey.HashOf(keys.PartnerKey), ApiKey.HashOf(keys.ReaderKey), ApiKey.HashOf(keys.SenderKey), ApiKey.HashOf(keys.PlatformKey)];
        return await db.ApiKeys.CountAsync(k => hashes.Contains(k.Hash) && k.RevokedAt == null, cancellationToken) == hashes.Length;
    }

    private async Task SeedLeadsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        db.Partners.Add(new Partner { Id = PartnerId, Name = "Demo Partner (Contoso)", CreatedAt = now });
        db.Senders.Add(new Sender { Id = MarketplaceSenderId, Name = "Marketplace", Kind = SenderKind.Marketplace, CreatedAt = now });
        db.Senders.Add(new Sender { Id = MarketingSenderId, Name = "Platform Marketing", Kind = SenderKind.PlatformMarketing, CreatedAt = now });

        var windows = options.Value.Windows;
        var marketplace = new SenderRef(SenderKind.Marketplace, MarketplaceSenderId, "Marketplace");
        var marketing = new SenderRef(SenderKind.PlatformMarketing, MarketingSenderId, "Platform Marketing");
        var user = new Actor(ActorKind.User, Guid.Empty.ToString(), "Demo Admin");
        var hours = TimeSpan.FromHours(1);

        Lead Receive(LeadType type, SenderRef sender, string company, string contact, string need, bool contactRequested, TimeSpan ago) =>
            Lead.Receive(
                new NewLead(PartnerId, type, sender,
                    new Customer(company, contact, $"{contact.Split(' ')[0].ToLowerInvariant()}@{company.Split(' ')[0].ToLowerInvariant()}.example",
                        "+351 21 000 0000", "PT", CompanySize.Small, "retail"),
                    need, contactRequested, "CMP-DEMO", null),
                windows, new Actor(ActorKind.Sender, sender.Id.ToString(), sender.Name), now - ago);

        Acceptance Deal(string name, decimal amount) =>
            new(name, new Money(amount, "EUR"), DateOnly.FromDateTime(now.UtcDateTime.AddDays(45)), "Demo deal", null, null,
                [new NewTeamMember("Li Wei", "+351 21 000 0001", "li@contoso.example")]);

        var hot = Receive(LeadType.CustomerInquiry, marketplace, "Fabrikam Ltd", "Ana Silva", "Move 40 mailboxes and set up Teams", true, 2 * hours);
        var followUp = Receive(LeadType.CustomerInquiry, marketplace, "Northwind Traders", "Jonas Berg", "Replace the on-premises file server", true, 100 * hours);
        var qualified = Receive(LeadType.MarketingQualified, marketing, "Tailspin Toys", "Maria Garcia", "Licensing review for 300 seats", false, 5 * hours);
        var sales = Receive(LeadType.SalesQualified, marketing, "Wide World Importers", "Kenji Sato", "Dynamics 365 Sales rollout", false, 30 * hours);

        var accepted = Receive(LeadType.CustomerInquiry, marketplace, "Adventure Works", "Olivia Brown", "Security assessment", true, 48 * hours);
        accepted.Accept(Deal("Adventure Works security assessment", 8000m), user, now - 40 * hours);
        var acceptedQualified = Receive(LeadType.SalesQualified, marketing, "Contoso Pharmaceuticals", "Ravi Patel", "Azure landing zone", false, 72 * hours);
        acceptedQualified.Accept(Deal("Contoso Pharma landing zone", 45000m), user, now - 60 * hours);

        var won = Receive(LeadType.CustomerInquiry, marketplace, "Coho Winery", "Emma Wilson", "Point-of-sale integration", false, 200 * hours);
        won.Accept(Deal("Coho Winery POS", 12000m), user, now - 190 * hours);
        won.MarkWon(new Money(11500m, "EUR"), DateOnly.FromDateTime(now.UtcDateTime.AddDays(-1)), "Signed", user, now - 24 * hours);
        var lost = Receive(LeadType.MarketingQualified, marketing, "Lucerne Publishing", "Noah Müller", "Content management migration", false, 220 * hours);
        lost.Accept(Deal("Lucerne CMS migration", 30000m), user, now - 210 * hours);
        lost.MarkLost(LostReason.Competitor, "Chose a local firm", user, now - 20 * hours);
        var declined = Receive(LeadType.CustomerInquiry, marketplace, "Litware Inc", "Sofia Rossi", "Mainframe COBOL maintenance", false, 30 * hours);
        declined.DeclineWith(DeclineReason.NotAFit, "We do not do mainframes", user, now - 20 * hours);
        var expired = Receive(LeadType.SalesQualified, marketing, "Proseware", "Lucas Martin", "Helpdesk outsourcing", false, windows.ResponseWindow + 24 * hours);
        expired.Expire(now);

        db.Leads.AddRange(hot, followUp, qualified, sales, accepted, acceptedQualified, won, lost, declined, expired);
        await db.SaveChangesAsync(cancellationToken);
    }
}
