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

    /// <summary>The roles a key of a partner's user can carry; a sender's key is <see cref="Sender"/>, the platform's <see cref="PlatformAdmin"/>.</summary>
    public static readonly IReadOnlySet<string> OfPartnerUsers =
        new HashSet<string>(StringComparer.Ordinal) { PartnerAdmin, ReferralsAdmin, ReferralsReader };

    /// <summary>
    /// What each partner role may do includes what the roles after it may: a partner admin acts on leads as a referrals
    /// admin does, who reads and stars as a reader does (the policies below say so).
    /// </summary>
    private static readonly Dictionary<string, string[]> Includes = new(StringComparer.Ordinal)
    {
        [PartnerAdmin] = [PartnerAdmin, ReferralsAdmin, ReferralsReader],
        [ReferralsAdmin] = [ReferralsAdmin, ReferralsReader],
        [ReferralsReader] = [ReferralsReader],
    };

    /// <summary>A key cannot grant a role its creator lacks: whether a creator with <paramref name="held"/> may give <paramref name="role"/>.</summary>
    public static bool CanGrant(IReadOnlySet<string> held, string role)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Any(h => Includes.TryGetValue(h, out var included) && included.Contains(role, StringComparer.Ordinal));
    }
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

    /// <summary>Only a partner's admins create, list and revoke the partner's API keys; a reader never sees them.</summary>
    public const string ManageApiKeys = nameof(ManageApiKeys);

    /// <summary>Every user of a partner reads the partner's business profile; senders and the platform do not.</summary>
    public const string ReadProfile = nameof(ReadProfile);

    /// <summary>Only a partner's admins change its business profile.</summary>
    public const string ManageProfile = nameof(ManageProfile);

    /// <summary>Only platform admins onboard partners and senders; besides that a platform admin's key reads partners' scorecards.</summary>
    public const string Onboard = nameof(Onboard);

    /// <summary>Every user of a partner, readers included, reads the partner's own scorecard.</summary>
    public const string ReadOwnScorecard = nameof(ReadOwnScorecard);

    /// <summary>Only platform admins read any partner's scorecard.</summary>
    public const string ReadAnyScorecard = nameof(ReadAnyScorecard);

    /// <summary>Senders and platform admins rank partners for a customer request; partners never see each other's scores.</summary>
    public const string FindMatches = nameof(FindMatches);
}
