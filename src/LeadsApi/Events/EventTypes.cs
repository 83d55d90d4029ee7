using LeadsApi.Domain.Leads;

namespace LeadsApi.Events;

/// <summary>The event types, spelled as they appear in payloads, subscriptions and the contract.</summary>
public static class EventTypes
{
    public const string Received = "lead.received";
    public const string Accepted = "lead.accepted";
    public const string Declined = "lead.declined";
    public const string Expired = "lead.expired";
    public const string Won = "lead.won";
    public const string Lost = "lead.lost";
    public const string DealUpdated = "lead.dealUpdated";
    public const string TeamChanged = "lead.teamChanged";

    /// <summary>The service handed a declined or expired routed lead's request on to the next partner (the sender hears it).</summary>
    public const string Rerouted = "lead.rerouted";

    /// <summary>A routed lead was to be handed on, but no partner is left that could take it (the sender hears it).</summary>
    public const string RoutingEnded = "lead.routingEnded";

    /// <summary>A reminder that a received lead expires soon, at each configured offset before respondBy.</summary>
    public const string Expiring = "lead.expiring";

    /// <summary>A reminder that the hot window of a lead whose customer asked for contact closes soon.</summary>
    public const string HotExpiring = "lead.hotExpiring";

    /// <summary>The partner's business profile changed (GET /v1/partners/me/profile); the partner hears it, no sender does.</summary>
    public const string ProfileUpdated = "partner.profileUpdated";

    /// <summary>Sent on request to one subscription, to try a receiver; never in the change feed.</summary>
    public const string Test = "webhook.test";

    /// <summary>Every type a subscription can filter on.</summary>
    public static readonly IReadOnlyList<string> All =
        [Received, Accepted, Declined, Expired, Won, Lost, DealUpdated, TeamChanged, Expiring, HotExpiring, ProfileUpdated, Rerouted, RoutingEnded];

    /// <summary>What a lead's sender hears: where the lead went, never the partner's own work on it.</summary>
    public static readonly IReadOnlySet<string> HeardBySender =
        new HashSet<string>(StringComparer.Ordinal) { Received, Accepted, Declined, Expired, Won, Lost, Rerouted, RoutingEnded };

    /// <summary>What the lead's partner does not hear: where the customer's request went after it (another partner's lead).</summary>
    public static readonly IReadOnlySet<string> SenderOnly = new HashSet<string>(StringComparer.Ordinal) { Rerouted, RoutingEnded };

    public static string Of(LeadChangeKind kind) => kind switch
    {
        LeadChangeKind.Received => Received,
        LeadChangeKind.Accepted => Accepted,
        LeadChangeKind.Declined => Declined,
        LeadChangeKind.Expired => Expired,
        LeadChangeKind.Won => Won,
        LeadChangeKind.Lost => Lost,
        LeadChangeKind.DealEdited => DealUpdated,
        LeadChangeKind.TeamMemberAdded or LeadChangeKind.TeamMemberRemoved => TeamChanged,
        LeadChangeKind.Rerouted => Rerouted,
        LeadChangeKind.RoutingEnded => RoutingEnded,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No event type for this change."),
    };
}
