namespace LeadsApi.Domain.Leads;

/// <summary>Where a lead is in its life. Won, lost, declined and expired are the archived outcomes.</summary>
public enum LeadStatus
{
    Received,
    Accepted,
    Won,
    Lost,
    Declined,
    Expired,
}

/// <summary>The three stages a partner's Leads screen groups statuses into.</summary>
public enum LeadStage
{
    Received,
    Accepted,
    Archived,
}

public static class LeadStatusExtensions
{
    public static LeadStage Stage(this LeadStatus status) => status switch
    {
        LeadStatus.Received => LeadStage.Received,
        LeadStatus.Accepted => LeadStage.Accepted,
        _ => LeadStage.Archived,
    };

    public static bool IsArchived(this LeadStatus status) => status.Stage() == LeadStage.Archived;
}
