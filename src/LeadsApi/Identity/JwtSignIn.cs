using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LeadsApi.Identity;

/// <summary>
/// Sign-in for front-ends: an OpenID Connect provider's JWT, sent as <c>Authorization: Bearer &lt;token&gt;</c> like an
/// API key, becomes the same claims an API key gives (partner, user, roles), so every policy and handler works
/// unchanged. Only a partner's users sign in this way; a token that names no known partner, or a role the API does not
/// know, is refused like a forged one. Every refusal is a 401 <c>unauthenticated</c> problem with
/// <c>WWW-Authenticate: Bearer error="invalid_token", error_description="..."</c> (RFC 6750).
/// </summary>
public static class JwtSignIn
{
    public const string SchemeName = "Jwt";

    /// <summary>Asymmetric algorithms only: a provider signs with its private key; <c>none</c> and HMAC are refused.</summary>
    public static readonly IReadOnlyList<string> Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly HashSet<string> PartnerRoles =
        new HashSet<string>(StringComparer.Ordinal) { Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader };

    /// <summary>
    /// Whether <c>Authorization</c> holds a bearer value shaped like a JWS compact serialization: three base64url
    /// segments separated by dots, the last one possibly empty (an unsigned token, which the JWT scheme then refuses
    /// by name). API keys (<c>lak_</c> and base64url) have no dot, so they never look like one.
    /// </summary>
    public static bool LooksLikeJwt(string? authorization)
    {
        const string bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var segments = authorization.AsSpan(bearer.Length).Trim();
        var dots = 0;
        var segmentLength = 0;
        foreach (var c in segments)
        {
            if (c == '.')
            {
                if (segmentLength == 0 || ++dots > 2)
                {
                    return false;
                }

                segmentLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                segmentLength++;
            }
            else
            {
                return false;
            }
        }

        return dots == 2;
    }

    /// <summary>
    /// The token's lifetime against the service's clock (<see cref="TimeProvider"/>, as every other time rule reads it),
    /// throwing the exceptions whose messages the JWT handler turns into its error descriptions.
    /// </summary>
    public static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } expiresAt)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration.");
        }

        if (notBefore is { } notBeforeAt && notBeforeAt > now + skew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = notBeforeAt };
        }

        if (expiresAt < now - skew)
        {
            throw new SecurityTokenExpiredException("The token expired.") { Expires = expiresAt };
        }

        return true;
    }

    /// <summary>
    /// A stable user id for a token's user claim: a GUID as it is; anything else (<c>auth0|5f7c...</c>) as a
    /// version-8 GUID hashed from the issuer and the value, so the same user keeps the same stars.
    /// </summary>
    public static Guid UserIdOf(string issuer, string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Guid.TryParseExact(user, "D", out var id))
        {
            return id;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{issuer}\n{user}")).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }

    /// <summary>
    /// The token's claims as an API key's: <see cref="ClaimTypes.Name"/>, <see cref="Caller.UserIdClaim"/>,
    /// <see cref="Caller.PartnerIdClaim"/> and one <see cref="ClaimTypes.Role"/> each. Nothing else of the token is
    /// kept, so a claim such as <c>sender_id</c> in it grants nothing. Returns why the token is refused, or null.
    /// </summary>
    public static string? Map(ClaimsPrincipal token, string issuer, JwtSignInOptions options, out ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        caller = new ClaimsPrincipal();
        var partner = token.FindFirst(options.PartnerClaim)?.Value;
        if (string.IsNullOrEmpty(partner))
        {
            return $"The token has no {options.PartnerClaim} claim: only a partner's users sign in with a token";
        }

        if (!Guid.TryParseExact(partner, "D", out var partnerId))
        {
            return $"The token's {options.PartnerClaim} claim is not a partner id";
        }

        var user = token.FindFirst(options.UserClaim)?.Value;
        if (string.IsNullOrEmpty(user))
        {
            return $"The token has no {options.UserClaim} claim";
        }

        var roles = token.FindAll(options.RolesClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
        {
            return $"The token has no {options.RolesClaim} claim";
        }

        if (roles.FirstOrDefault(r => !PartnerRoles.Contains(r)) is { } unknown)
        {
            return $"The token's {options.RolesClaim} claim has a role this API does not give to a partner's users: '{Printable(unknown)}'"
                + $" (the roles are {Roles.PartnerAdmin}, {Roles.ReferralsAdmin} and {Roles.ReferralsReader})";
        }

        var name = token.FindFirst(options.NameClaim)?.Value is { Length: > 0 } display ? display : user;
        List<Claim> claims =
        [
            new(ClaimTypes.Name, name),
            new(Caller.UserIdClaim, UserIdOf(issuer, user).ToString()),
            new(Caller.PartnerIdClaim, partnerId.ToString()),
            .. roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        caller = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return null;
    }

    /// <summary>
    /// What a refused token's challenge says: the JWT handler's own description of a validation failure (expired, wrong
    /// audience, unknown key...), this scheme's reason for a token it refused itself, and a plain sentence otherwise.
    /// Quoted-string safe (RFC 6750 allows no quote or backslash in it), since parts of it come from the token.
    /// </summary>
    public static string Describe(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var description = context.AuthenticateFailure switch
        {
            RefusedTokenException refused => refused.Message,
            // The handler's own words, but with RFC 3339 times (it writes 11/24/2026 09:55:00), and without the
            // "'(null)'" it shows for an audience, which the library no longer reports.
            SecurityTokenExpiredException expired => $"The token expired at {Rfc3339(expired.Expires)}",
            SecurityTokenNotYetValidException early => $"The token is not valid before {Rfc3339(early.NotBefore)}",
            SecurityTokenInvalidAudienceException => "The token's audience is not this API",
            _ when !string.IsNullOrEmpty(context.ErrorDescription) => context.ErrorDescription,
            _ => "The token is not valid",
        };
        return Printable(description, 500);
    }

    private static string Rfc3339(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Printable(string text, int max = 60)
    {
        var kept = new string([.. text.Take(max).Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?')]);
        return text.Length > max ? kept + "..." : kept;
    }

    /// <summary>A token whose signature and lifetime are fine but whose claims this API cannot accept.</summary>
    public sealed class RefusedTokenException(string message) : Exception(message);
}

/// <summary>Partners known to exist: a token naming one that does not is refused. Partners are never deleted, so a hit is kept.</summary>
public sealed class KnownPartners
{
    private readonly ConcurrentDictionary<Guid, bool> _known = new();

    public async Task<bool> ExistsAsync(Guid partnerId, LeadsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_known.ContainsKey(partnerId))
        {
            return true;
        }

        if (!await db.Partners.AsNoTracking().AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return false;
        }

        _known[partnerId] = true;
        return true;
    }
}

/// <summary>The JWT bearer scheme as <see cref="JwtSignInOptions"/> configure it; the scheme stays unused while they are off.</summary>
internal sealed class ConfigureJwtBearer(IOptions<JwtSignInOptions> signIn, TimeProvider time) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != JwtSignIn.SchemeName)
        {
            return;
        }

        var settings = signIn.Value;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = true;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        options.AutomaticRefreshInterval = settings.KeysRefreshInterval;
        options.TimeProvider = time;
        options.Audience = settings.Audience;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = settings.Audience,
            ValidIssuer = string.IsNullOrWhiteSpace(settings.Issuer) ? null : settings.Issuer,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidAlgorithms = JwtSignIn.Algorithms,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => JwtSignIn.ValidateLifetime(notBefore, expires, parameters.ClockSkew, time),
        };
        if (!settings.Enabled)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(settings.JwksUrl))
        {
            // Keys without discovery: the JWKS document is fetched, cached and refreshed like a discovery document.
            options.Backchannel = new HttpClient { Timeout = options.BackchannelTimeout, MaxResponseContentBufferSize = 1024 * 1024 };
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                settings.JwksUrl,
                new JwksRetriever(settings.Issuer!),
                new HttpDocumentRetriever(options.Backchannel) { RequireHttps = settings.RequireHttpsMetadata })
            {
                AutomaticRefreshInterval = settings.KeysRefreshInterval,
            };
        }
        else
        {
            options.Authority = string.IsNullOrWhiteSpace(settings.Authority) ? null : settings.Authority;
            options.MetadataAddress = string.IsNullOrWhiteSpace(settings.MetadataAddress) ? null! : settings.MetadataAddress;
        }

        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = MapCallerAsync,
            OnChallenge = ChallengeAsync,
            OnForbidden = context => AuthenticationProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ProblemCatalog.Forbidden, null),
        };
    }

    private static async Task MapCallerAsync(TokenValidatedContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<JwtSignInOptions>>().Value;
        var issuer = context.SecurityToken?.Issuer ?? "";
        if (JwtSignIn.Map(context.Principal!, issuer, settings, out var caller) is { } refusal)
        {
            context.Fail(new JwtSignIn.RefusedTokenException(refusal));
            return;
        }

        var partnerId = Guid.Parse(caller.FindFirstValue(Caller.PartnerIdClaim)!);
        var services = context.HttpContext.RequestServices;
        if (!await services.GetRequiredService<KnownPartners>().ExistsAsync(partnerId, services.GetRequiredService<LeadsDbContext>(), context.HttpContext.RequestAborted))
        {
            context.Fail(new JwtSignIn.RefusedTokenException($"The token's {settings.PartnerClaim} claim names no partner of this API"));
            return;
        }

        context.Principal = caller;
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var description = JwtSignIn.Describe(context);
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{description}\"";
        await AuthenticationProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ProblemCatalog.Unauthenticated, description + ".");
    }

    /// <summary>Reads a JSON Web Key Set as the configuration of an issuer that has no discovery document.</summary>
    private sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JwksUri = address, JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}

/// <summary>The problem details every authentication scheme answers a refused or forbidden request with.</summary>
internal static class AuthenticationProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string? detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ProblemFactory.Create(code, detail),
        });
    }
}
