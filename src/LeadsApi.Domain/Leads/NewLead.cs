namespace LeadsApi.Domain.Leads;

/// <summary>What a sender tells us about a lead it hands to a partner.</summary>
public sealed record NewLead(
    Guid PartnerId,
    LeadType Type,
    SenderRef Sender,
    Customer Customer,
    string Need,
    bool ContactRequested,
    string? CampaignId,
    string? ExternalId,
    LeadRouting? Routing = null,
    LeadMatch? Match = null,
    Guid? PreviousLeadId = null);

/// <summary>What the partner commits to when it accepts a lead.</summary>
public sealed record Acceptance(
    string DealName,
    Money EstimatedValue,
    DateOnly EstimatedCloseDate,
    string? Notes,
    string? CrmId,
    string? CampaignId,
    IReadOnlyList<NewTeamMember> Contacts);

/// <summary>A person to add to the deal's team.</summary>
public sealed record NewTeamMember(string Name, string? Phone, string? Email);
