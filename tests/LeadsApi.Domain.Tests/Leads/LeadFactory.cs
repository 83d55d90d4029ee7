using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>The rows of the state table a test can start from.</summary>
public enum LeadState
{
    Received,
    Accepted,
    Won,
    Lost,
    Declined,

    /// <summary>Expired as written by <see cref="Lead.Expire"/>.</summary>
    Expired,

    /// <summary>Received, past its respond-by time, and not yet written by the sweep.</summary>
    ExpiredNotYetWritten,
}

/// <summary>A lead in a given state and the moment the test acts on it.</summary>
public sealed record Arranged(Lead Lead, DateTimeOffset Now);

/// <summary>Leads in every state of the table, built through the aggregate's own methods.</summary>
internal static class LeadFactory
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AcceptedAt = ReceivedAt.AddDays(1);
    public static readonly DateTimeOffset ClosedAt = ReceivedAt.AddDays(2);
    public static readonly DateOnly WonOn = new(2026, 11, 26);

    public const string LeadCampaignId = "CMP-2026-11";
    public const string DealCampaignId = "CMP-2027-01";

    public static readonly Actor Sender = new(ActorKind.Sender, "sender-1", "Platform marketing");

    /// <summary>Arranges leads, so a test can tell its own changes from the arrangement's.</summary>
    public static readonly Actor Colleague = new(ActorKind.User, "user-2", "Bo Chen");

    /// <summary>Acts in the tests.</summary>
    public static readonly Actor Partner = new(ActorKind.User, "user-1", "Ana Partner");

    public static readonly NewTeamMember LiWei = new("Li Wei", "+351 21 000 0001", "li@contoso.example");
    public static readonly NewTeamMember SamOkafor = new("Sam Okafor", null, "sam@contoso.example");

    public static Lead Received(
        LeadWindows? windows = null,
        bool contactRequested = true,
        string? campaignId = LeadCampaignId,
        DateTimeOffset? at = null)
    {
        var details = new NewLead(
            Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11"),
            LeadType.CustomerInquiry,
            new SenderRef(SenderKind.Marketplace, Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12"), "Marketplace"),
            new Customer("Fabrikam Ltd", "Ana Silva", "ana@fabrikam.example", "+351 21 000 0000", "PT", CompanySize.Small, "retail"),
            "Move 40 mailboxes and set up Teams",
            contactRequested,
            campaignId,
            "mkt-123");
        var lead = Lead.Receive(details, windows ?? LeadWindows.Default, Sender, at ?? ReceivedAt);
        return Loaded(lead);
    }

    public static Lead Accepted(Acceptance? acceptance = null, bool contactRequested = true)
    {
        var lead = Received(contactRequested: contactRequested);
        lead.Accept(acceptance ?? Acceptance(), Colleague, AcceptedAt);
        return Loaded(lead);
    }

    public static Acceptance Acceptance(string? campaignId = DealCampaignId, Money? estimatedValue = null) => new(
        "Fabrikam mailbox move",
        estimatedValue ?? new Money(12000.00m, "EUR"),
        new DateOnly(2027, 1, 31),
        "Tenant-to-tenant move",
        "CRM-991",
        campaignId,
        [LiWei, SamOkafor]);

    /// <summary>A lead in <paramref name="state"/>, and a moment to act on it that the state holds at.</summary>
    public static Arranged In(LeadState state, bool contactRequested = true)
    {
        var lead = Received(contactRequested: contactRequested);
        var afterLastChange = ClosedAt.AddDays(1);
        switch (state)
        {
            case LeadState.Received:
                return new(lead, ReceivedAt.AddHours(2));
            case LeadState.Accepted:
                return new(Accepted(contactRequested: contactRequested), afterLastChange);
            case LeadState.Won:
                lead = Accepted(contactRequested: contactRequested);
                lead.MarkWon(new Money(11500.00m, "EUR"), WonOn, "Signed", Colleague, ClosedAt);
                return new(Loaded(lead), afterLastChange);
            case LeadState.Lost:
                lead = Accepted(contactRequested: contactRequested);
                lead.MarkLost(LostReason.Competitor, "Chose a local firm", Colleague, ClosedAt);
                return new(Loaded(lead), afterLastChange);
            case LeadState.Declined:
                lead.DeclineWith(DeclineReason.NotAFit, "We do not serve retail", Colleague, ClosedAt);
                return new(Loaded(lead), afterLastChange);
            case LeadState.Expired:
                lead.Expire(lead.RespondBy.AddHours(1));
                return new(Loaded(lead), lead.RespondBy.AddDays(1));
            case LeadState.ExpiredNotYetWritten:
                return new(lead, lead.RespondBy.AddHours(1));
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    // As if saved and loaded again: a test then sees only the timeline entries its own action adds.
    private static Lead Loaded(Lead lead)
    {
        lead.ClearPendingChanges();
        return lead;
    }
}
