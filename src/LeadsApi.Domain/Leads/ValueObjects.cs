namespace LeadsApi.Domain.Leads;

/// <summary>An amount in an ISO 4217 currency.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>Who sent the lead.</summary>
public sealed record SenderRef(SenderKind Kind, Guid Id, string Name);

/// <summary>The customer behind the lead, as the sender described them.</summary>
public sealed record Customer(
    string CompanyName,
    string ContactName,
    string? Email,
    string? Phone,
    string? Country,
    CompanySize? CompanySize,
    string? Industry);

/// <summary>The partner's answer when it declines.</summary>
public sealed record DeclineAnswer(DeclineReason Reason, string? Notes);

/// <summary>How an accepted lead ended: won (with final value and date) or lost (with a reason).</summary>
public sealed record Outcome(
    LeadStatus Result,
    Money? FinalValue,
    DateOnly? ClosedOn,
    LostReason? LostReason,
    string? Notes)
{
    // For EF Core, which cannot bind the nested Money through the constructor.
    private Outcome()
        : this(default, null, null, null, null)
    {
    }
}

/// <summary>A person on the partner's side working the deal.</summary>
public sealed record TeamMember(Guid Id, string Name, string? Phone, string? Email);

/// <summary>The state of the customer's contact request at a moment; no state once the lead is archived.</summary>
public sealed record ContactRequest(bool Requested, ContactRequestState? State, DateTimeOffset? HotUntil);

public enum ContactRequestState
{
    /// <summary>The customer asked to be contacted less than the hot window ago.</summary>
    Hot,
    /// <summary>The hot window has passed; the lead still wants a follow-up.</summary>
    FollowUp,
}

/// <summary>The two configurable time windows of a lead.</summary>
public sealed record LeadWindows(TimeSpan ResponseWindow, TimeSpan HotWindow)
{
    public static readonly LeadWindows Default = new(TimeSpan.FromDays(14), TimeSpan.FromHours(72));
}

/// <summary>Who did something to a lead: a partner's user, a sender, or the system itself.</summary>
public sealed record Actor(ActorKind Kind, string Id, string Name)
{
    public static readonly Actor System = new(ActorKind.System, "system", "LeadsApi");
}

public enum ActorKind
{
    User,
    Sender,
    System,
}
