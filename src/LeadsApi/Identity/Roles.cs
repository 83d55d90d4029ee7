namespace LeadsApi.Identity;

/// <summary>The roles an API key can carry, spelled as they appear in keys and in the contract.</summary>
public static class Roles
{
    public const string PartnerAdmin = "partnerAdmin";
    public const string ReferralsAdmin = "referralsAdmin";
    public const string ReferralsReader = "referralsReader";
    public const string Sender = "sender";
    public const string PlatformAdmin = "platformAdmin";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { PartnerAdmin, ReferralsAdmin, ReferralsReader, Sender, PlatformAdmin };
}

/// <summary>Authorization policies of the API, each a set of roles.</summary>
public static class Policies
{
    /// <summary>Partner users and senders can read the leads they may see.</summary>
    public const string ReadLeads = nameof(ReadLeads);

    /// <summary>Only referrals and partner admins act on leads.</summary>
    public const string ActOnLeads = nameof(ActOnLeads);

    /// <summary>Any user of a partner, readers included, can star leads for themselves.</summary>
    public const string StarLeads = nameof(StarLeads);

    /// <summary>Only senders create leads.</summary>
    public const string SendLeads = nameof(SendLeads);

    /// <summary>A partner's admins manage the partner's webhooks; a sender manages its own.</summary>
    public const string ManageWebhooks = nameof(ManageWebhooks);
}
