using System.Text.Json;

namespace LeadsApi.Events;

/// <summary>An event as a webhook receiver and the change feed get it.</summary>
/// <param name="Id">The event's id (UUIDv7), the same as the webhook-id header: deduplicate on it.</param>
/// <param name="Type">What happened, e.g. lead.accepted.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="PartnerId">The partner the lead belongs to.</param>
/// <param name="LeadId">The lead it is about; null for partner.profileUpdated, which is about the partner's profile.</param>
/// <param name="LeadVersion">The lead's version after the change (for a reminder, the version it reminds of). Events can arrive out of order: discard one whose version is lower than one you have already applied. Null when leadId is (a profile event carries the profile's version in data.profile.version).</param>
/// <param name="Data">The lead as you may see it, and what changed.</param>
public sealed record EventMessage(
    Guid Id,
    string Type,
    DateTimeOffset Timestamp,
    Guid PartnerId,
    Guid? LeadId,
    int? LeadVersion,
    EventData Data);

/// <summary>What an event carries.</summary>
/// <param name="Lead">The lead as you may see it when the event happened: a partner gets the Lead representation (favorite is always false: stars are per user), a sender the SenderLead one. Null for partner.profileUpdated.</param>
/// <param name="Changes">For a change, each field it changed with its previous and current value, as text; the status is one of them on a transition. Empty for a reminder.</param>
/// <param name="Reminder">For lead.expiring and lead.hotExpiring: what is due, and when.</param>
/// <param name="Profile">For partner.profileUpdated: the partner's business profile after the change; null for a lead's event.</param>
public sealed record EventData(
    [property: Hosting.SchemaOneOf(typeof(Leads.LeadResponse), typeof(Leads.SenderLeadResponse))] JsonElement? Lead,
    IReadOnlyList<EventFieldChange> Changes,
    EventReminder? Reminder,
    Partners.PartnerProfileResponse? Profile = null);

/// <summary>One field a change changed.</summary>
/// <param name="Field">The field, as the lead (or the profile) names it (e.g. status, dealName, estimatedValue, team; expertiseKeywords).</param>
/// <param name="Previous">Its value before, as text; null when it had none.</param>
/// <param name="Current">Its value after, as text; null when it has none now.</param>
public sealed record EventFieldChange(string Field, string? Previous, string? Current);

/// <summary>What a reminder is about.</summary>
/// <param name="Deadline">respondBy (the lead expires unless answered) or hotUntil (the customer's contact request stops being hot).</param>
/// <param name="DueAt">When that happens.</param>
/// <param name="Before">How long before it this reminder was scheduled, as an ISO 8601 duration (e.g. PT24H).</param>
public sealed record EventReminder(string Deadline, DateTimeOffset DueAt, string Before);
