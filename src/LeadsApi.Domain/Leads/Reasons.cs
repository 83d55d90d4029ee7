namespace LeadsApi.Domain.Leads;

public enum DeclineReason
{
    NotAFit,
    InsufficientInformation,
    CustomerUnreachable,
    Duplicate,
    OutsideServiceArea,
    Other,
}

public enum LostReason
{
    Competitor,
    NoBudget,
    NoDecision,
    CustomerUnresponsive,
    Other,
}

public enum CompanySize
{
    /// <summary>1 to 9 employees.</summary>
    Micro,
    /// <summary>10 to 49 employees.</summary>
    Small,
    /// <summary>50 to 249 employees.</summary>
    Medium,
    /// <summary>250 to 999 employees.</summary>
    Large,
    /// <summary>1000 employees or more.</summary>
    Enterprise,
}

public enum SenderKind
{
    Marketplace,
    PlatformMarketing,
    PlatformSales,
    Partner,
}
