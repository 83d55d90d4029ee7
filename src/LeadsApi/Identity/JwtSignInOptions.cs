namespace LeadsApi.Identity;

/// <summary>
/// The <c>Jwt</c> configuration section: sign-in for front-ends with the bearer tokens (JWTs) of an OpenID Connect
/// provider, beside the API keys. Off until a source of signing keys is configured: <see cref="Authority"/> (or
/// <see cref="MetadataAddress"/>) for OIDC discovery, or <see cref="JwksUrl"/> with <see cref="Issuer"/>.
/// </summary>
public sealed class JwtSignInOptions
{
    public const string Section = "Jwt";

    /// <summary>The provider's issuer URL; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's URL, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The provider's signing keys as a JSON Web Key Set, without discovery; <see cref="Issuer"/> is then required.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The <c>iss</c> every token must carry; with discovery, the discovery document's issuer unless set.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry (one of its audiences): the API's own identifier at the provider.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim with the partner's id (a GUID); a token without it is refused.</summary>
    public string PartnerClaim { get; set; } = "partner_id";

    /// <summary>The claim that identifies the user (stars are per user): a GUID is taken as it is, anything else is mapped to a stable GUID.</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim with the user's display name, as the timeline shows it; the user claim when the token has none.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The claim with the user's roles (one value each, or a JSON array): partnerAdmin, referralsAdmin, referralsReader.</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>How far <c>exp</c> and <c>nbf</c> may be off the service's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long fetched signing keys are used before they are fetched again (an unknown <c>kid</c> fetches them sooner, at most every 5 minutes).</summary>
    public TimeSpan KeysRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Whether the discovery document and the keys must come over HTTPS; <c>false</c> for local development and tests only.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether the JWT scheme is on: some source of signing keys is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress) || !string.IsNullOrWhiteSpace(JwksUrl);

    /// <summary>What is wrong with the settings, or null when they are usable (off counts as usable).</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            return "Jwt:Audience is required when Jwt:Authority, Jwt:MetadataAddress or Jwt:JwksUrl is set.";
        }

        if (!string.IsNullOrWhiteSpace(JwksUrl) && (!string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress)))
        {
            return "Set either Jwt:JwksUrl (with Jwt:Issuer) or Jwt:Authority / Jwt:MetadataAddress, not both.";
        }

        if (!string.IsNullOrWhiteSpace(JwksUrl) && string.IsNullOrWhiteSpace(Issuer))
        {
            return "Jwt:Issuer is required with Jwt:JwksUrl.";
        }

        foreach (var (name, url) in new[] { ("Authority", Authority), ("MetadataAddress", MetadataAddress), ("JwksUrl", JwksUrl) })
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return $"Jwt:{name} must be an absolute http(s) URL.";
            }

            if (RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
            {
                return $"Jwt:{name} must use https (Jwt:RequireHttpsMetadata=false allows http, for local development only).";
            }
        }

        if (new[] { PartnerClaim, UserClaim, NameClaim, RolesClaim }.Any(string.IsNullOrWhiteSpace))
        {
            return "Jwt:PartnerClaim, Jwt:UserClaim, Jwt:NameClaim and Jwt:RolesClaim must not be empty.";
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
        {
            return "Jwt:ClockSkew must be between 00:00:00 and 00:10:00.";
        }

        return KeysRefreshInterval < TimeSpan.FromMinutes(5) ? "Jwt:KeysRefreshInterval must be at least 00:05:00." : null;
    }
}
