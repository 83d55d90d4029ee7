namespace LeadsApi.Domain.Leads;

/// <summary>What a partner can do to a lead; the vocabulary of <c>allowedActions</c>.</summary>
public enum LeadAction
{
    Accept,
    Decline,
    Edit,
    AddTeamMember,
    RemoveTeamMember,
    MarkWon,
    MarkLost,
}
