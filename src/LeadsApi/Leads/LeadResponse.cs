using LeadsApi.Domain.Leads;

namespace LeadsApi.Leads;

/// <summary>A lead as the partner's users see it, with what can be done to it now. Its sender reads SenderLeadResponse instead.</summary>
/// <param name="Id">The lead's id, a UUIDv7.</param>
/// <param name="PartnerId">The partner the lead was sent to.</param>
/// <param name="Type">How the lead came: a marketplace inquiry or a marketing- or sales-qualified lead.</param>
/// <param name="Status">The status now; a received lead past respondBy reads as expired.</param>
/// <param name="Stage">received, accepted, or archived (won, lost, declined, expired).</param>
/// <param name="AllowedActions">What the partner may do now; empty once archived.</param>
/// <param name="Sender">Who sent the lead.</param>
/// <param name="Customer">The customer as the sender described them.</param>
/// <param name="Need">What the customer needs, in their words.</param>
/// <param name="CampaignId">The campaign the lead came from, when the sender named one.</param>
/// <param name="ExternalId">The sender's own id for the lead.</param>
/// <param name="ContactRequest">Whether the customer asked to be contacted, and whether that is still hot.</param>
/// <param name="ReceivedAt">When the lead arrived.</param>
/// <param name="RespondBy">When the lead expires unless accepted or declined.</param>
/// <param name="AcceptedAt">When the partner accepted the lead.</param>
/// <param name="ClosedAt">When the lead was archived.</param>
/// <param name="UpdatedAt">When anything about the lead last changed.</param>
/// <param name="Deal">The deal, once accepted.</param>
/// <param name="Team">The partner's people on the deal.</param>
/// <param name="Decline">The partner's reason, when declined.</param>
/// <param name="Outcome">How the deal ended, when won or lost.</param>
/// <param name="Favorite">Whether the calling user starred the lead.</param>
/// <param name="ETag">As in the ETag header: this representation's tag for If-None-Match, and the lead's version for If-Match.</param>
/// <param name="Match">Why this lead reached you, when the service chose you for the customer's request (routing): your score, rank and its components.</param>
public sealed record LeadResponse(
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
    Deal? Deal,
    IReadOnlyList<TeamMember> Team,
    DeclineAnswer? Decline,
    Outcome? Outcome,
    bool Favorite,
    [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string ETag,
    LeadMatchResponse? Match = null)
{
    public static LeadResponse From(Lead lead, DateTimeOffset now, TimeSpan hotWindow, bool favorite)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var status = lead.StatusAt(now);
        var contactRequest = lead.ContactRequestAt(now, hotWindow);
        return new LeadResponse(
            lead.Id,
            lead.PartnerId,
            lead.Type,
            status,
            status.Stage(),
            lead.AllowedActionsAt(now),
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
            lead.Deal,
            lead.Team,
            lead.Decline,
            lead.Outcome,
            favorite,
            LeadETag.Of(lead, status, contactRequest, favorite, senderView: false),
            LeadMatchResponse.From(lead.Match, lead.Routing));
    }
}
