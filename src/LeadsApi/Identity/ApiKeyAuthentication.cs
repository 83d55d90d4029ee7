using System.Security.Claims;
using System.Text.Encodings.Web;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the stored key hashes, and answers
/// 401 and 403 as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LeadsDbContext db,
    ApiKeyCache cache,
    ApiKeyUsage usage,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length > 200)
        {
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <api key>'.");
        }

        var hash = ApiKey.HashOf(header[BearerPrefix.Length..].Trim());
        if (!cache.TryGet(hash, out var key))
        {
            var readAt = cache.Generation;
            var stored = await db.ApiKeys.AsNoTracking()
                .FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, Context.RequestAborted);
            if (stored is null)
            {
                return AuthenticateResult.Fail("The API key is unknown or revoked.");
            }

            cache.Add(stored, readAt);
            key = stored;
        }

        // Checked on every use, cached or not: an expired key is refused like a revoked one, the moment it expires.
        var now = time.GetUtcNowMicroseconds();
        if (key.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return AuthenticateResult.Fail(
                $"The API key expired at {expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        await usage.RecordAsync(db, key, now, Context.RequestAborted);

        List<Claim> claims =
        [
            new(ClaimTypes.Name, key.UserName),
            new(Caller.UserIdClaim, key.UserId.ToString()),
            .. key.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        if (key.PartnerId is { } partnerId)
        {
            claims.Add(new Claim(Caller.PartnerIdClaim, partnerId.ToString()));
        }

        if (key.SenderId is { } senderId)
        {
            claims.Add(new Claim(Caller.SenderIdClaim, senderId.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message
            ?? (CredentialsInQuery(Request.Query)
                ? "Credentials in the query string are never accepted (URLs end up in logs): send 'Authorization: Bearer <api key>'."
                : "Send your API key as 'Authorization: Bearer <api key>'.");
        Response.Headers.WWWAuthenticate = "Bearer";
        await AuthenticationProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, ProblemCatalog.Unauthenticated, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthenticationProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ProblemCatalog.Forbidden, null);

    /// <summary>The names clients put credentials under in a URL; none of them is ever read.</summary>
    private static bool CredentialsInQuery(IQueryCollection query) =>
        query.Keys.Any(k => k.Equals("access_token", StringComparison.OrdinalIgnoreCase) || k.Equals("api_key", StringComparison.OrdinalIgnoreCase)
            || k.Equals("apikey", StringComparison.OrdinalIgnoreCase));
}
