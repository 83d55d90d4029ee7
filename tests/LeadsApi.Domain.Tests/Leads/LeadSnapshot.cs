using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>Everything a refused action must leave as it was.</summary>
internal sealed record LeadSnapshot(
    LeadStatus Status,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt,
    Deal? Deal,
    string Team,
    DeclineAnswer? Decline,
    Outcome? Outcome,
    int PendingChanges)
{
    public static LeadSnapshot Of(Lead lead) => new(
        lead.Status,
        lead.UpdatedAt,
        lead.AcceptedAt,
        lead.ClosedAt,
        lead.Deal,
        string.Join("; ", lead.Team),
        lead.Decline,
        lead.Outcome,
        lead.PendingChanges.Count);
}
