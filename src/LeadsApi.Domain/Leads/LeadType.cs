namespace LeadsApi.Domain.Leads;

/// <summary>How the lead came to the partner.</summary>
public enum LeadType
{
    /// <summary>A customer found the partner on the marketplace and asked for contact.</summary>
    CustomerInquiry,
    MarketingQualified,
    SalesQualified,
}

/// <summary>The tabs of a partner's Leads screen.</summary>
public enum LeadView
{
    /// <summary>Customer inquiries.</summary>
    Marketplace,
    /// <summary>Marketing- and sales-qualified leads.</summary>
    Qualified,
    /// <summary>Leads the calling user starred, from either view.</summary>
    Favorites,
}

public static class LeadTypeExtensions
{
    public static LeadView View(this LeadType type) =>
        type == LeadType.CustomerInquiry ? LeadView.Marketplace : LeadView.Qualified;
}
