using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;

namespace LeadsApi.Leads;

/// <summary>
/// A lead as its sender sees it: what the sender supplied, where the lead is, and the partner's answer the
/// sender passes on to the customer. The partner's own work on the lead (the deal, its notes, CRM and campaign
/// ids, the team and their contact details, the final value, outcome notes, stars) is not part of it.
/// </summary>
/// <param name="Id">The lead's id, a UUIDv7.</param>
/// <param name="PartnerId">The partner the lead was sent to.</param>
/// <param name="Type">How the lead came: a marketplace inquiry or a marketing- or sales-qualified lead.</param>
/// <param name="Status">The status now; a received lead past respondBy reads as expired.</param>
/// <param name="Stage">received, accepted, or archived (won, lost, declined, expired).</param>
/// <param name="AllowedActions">What the caller may do now: always empty for a sender, in every stage (read stage for where the lead is). Kept so an action senders gain later appears here without a new contract.</param>
/// <param name="Sender">Who sent the lead: you.</param>
/// <param name="Customer">The customer as you described them.</param>
/// <param name="Need">What the customer needs, as you sent it.</param>
/// <param name="CampaignId">The campaign you named when you sent the lead; never the partner's campaign id for its deal.</param>
/// <param name="ExternalId">Your own id for the lead.</param>
/// <param name="ContactRequest">Whether the customer asked to be contacted, and whether that is still hot.</param>
/// <param name="ReceivedAt">When the lead arrived.</param>
/// <param name="RespondBy">When the lead expires unless the partner accepts or declines it.</param>
/// <param name="AcceptedAt">When the partner accepted the lead.</param>
/// <param name="ClosedAt">When the lead was archived.</param>
/// <param name="UpdatedAt">When anything about the lead last changed, the partner's own work on it included (for delta sync with updatedSince).</param>
/// <param name="Decline">The partner's reason and notes when it declined, so you can tell the customer to pick another partner.</param>
/// <param name="Outcome">Whether the deal was won or lost, and the day a won deal closed.</param>
/// <param name="ETag">As in the ETag header: this representation's tag for If-None-Match; it changes with every change to the lead, the partner's own work included.</param>
/// <param name="Routing">How the service chose the partner, when you sent the lead with `routing`.</param>
/// <param name="Match">Why the service chose this partner: its score, rank and components.</param>
/// <param name="PreviousLeadId">The lead of the same request the partner before declined or let expire.</param>
/// <param name="NextLeadId">The lead the service handed the request on to after this one was declined or expired.</param>
[ClosedSchema]
public sealed record SenderLeadResponse(
    Guid Id,
    Guid PartnerId,
    LeadType Type,
    LeadStatus Status,
    LeadStage Stage,
    IReadOnlyList<LeadAction> AllowedActions,
    SenderRef Sender,
    Customer Customer,
    string Need,
    string? CampaignId,
    string? ExternalId,
    ContactRequest ContactRequest,
    DateTimeOffset ReceivedAt,
    DateTimeOffset RespondBy,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset UpdatedAt,
    DeclineAnswer? Decline,
    SenderOutcome? Outcome,
    [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string ETag,
    RoutingResponse? Routing = null,
    LeadMatchResponse? Match = null,
    Guid? PreviousLeadId = null,
    Guid? NextLeadId = null)
{
    public static SenderLeadResponse From(Lead lead, DateTimeOffset now, TimeSpan hotWindow)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var status = lead.StatusAt(now);
        var contactRequest = lead.ContactRequestAt(now, hotWindow);
        return new SenderLeadResponse(
            lead.Id,
            lead.PartnerId,
            lead.Type,
            status,
            status.Stage(),
            [],
            lead.Sender,
            lead.Customer,
            lead.Need,
            lead.CampaignId,
            lead.ExternalId,
            contactRequest,
            lead.ReceivedAt,
            lead.RespondBy,
            lead.AcceptedAt,
            lead.ClosedAtAsOf(now),
            lead.UpdatedAt,
            lead.Decline,
            lead.Outcome is { } outcome ? new SenderOutcome(outcome.Result, outcome.ClosedOn) : null,
            LeadETag.Of(lead, status, contactRequest, favorite: false, senderView: true),
            RoutingResponse.From(lead.Routing),
            LeadMatchResponse.From(lead.Match, lead.Routing),
            lead.PreviousLeadId,
            lead.NextLeadId);
    }
}

/// <summary>How the deal ended, as its sender learns it: the result and, when won, the day it closed; not the value or the partner's notes.</summary>
/// <param name="Result">won or lost.</param>
/// <param name="ClosedOn">The day a won deal closed; null when lost.</param>
[ClosedSchema]
public sealed record SenderOutcome(LeadStatus Result, DateOnly? ClosedOn);

/// <summary>One page of the leads a sender sent. Follow nextLink for the next; it is absent on the last page.</summary>
[ClosedSchema]
public sealed record SenderLeadPage(
    IReadOnlyList<SenderLeadResponse> Items,
    // Absent, not null, on the last page, as in the partner's page.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NextLink,
    // The delta sync's link to what changes next, on its last page only, as in the partner's page.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? DeltaLink = null);
