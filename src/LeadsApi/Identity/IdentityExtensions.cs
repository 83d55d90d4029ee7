using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LeadsApi.Identity;

public static class IdentityExtensions
{
    /// <summary>
    /// The default scheme: it only chooses, per request, the scheme that reads the credentials. A bearer value shaped
    /// like a JWT (three base64url segments) goes to <see cref="JwtSignIn"/> when it is configured; everything else,
    /// no credentials included, to the API keys. No scheme reads credentials from anywhere but the Authorization header.
    /// </summary>
    public const string SchemeName = "ApiKeyOrJwt";

    public static IHostApplicationBuilder AddLeadsIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        // Authentication pulls in data protection, which nothing here uses (API keys are not cookies);
        // in-memory keys avoid writing key files to disk and the warnings about them in containers.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddOptions<JwtSignInOptions>()
            .Bind(builder.Configuration.GetSection(JwtSignInOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JwtSignInOptions>, JwtSignInOptionsValidator>();
        builder.Services.AddSingleton<KnownPartners>();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        builder.Services
            .AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or JWT", options => options.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(JwtSignIn.SchemeName, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ReadLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader, Roles.Sender))
            .AddPolicy(Policies.ActOnLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.StarLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.SendLeads, p => p.RequireRole(Roles.Sender).RequireClaim(Caller.SenderIdClaim))
            .AddPolicy(Policies.ManageWebhooks, p => p.RequireRole(Roles.PartnerAdmin, Roles.Sender))
            .AddPolicy(Policies.ManageApiKeys, p => p.RequireRole(Roles.PartnerAdmin).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.Onboard, p => p.RequireRole(Roles.PlatformAdmin))
            .AddPolicy(Policies.ReadOwnScorecard, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.ReadAnyScorecard, p => p.RequireRole(Roles.PlatformAdmin))
            .AddPolicy(Policies.ReadProfile, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.FindMatches, p => p.RequireRole(Roles.Sender, Roles.PlatformAdmin))
            .AddPolicy(Policies.ManageProfile, p => p.RequireRole(Roles.PartnerAdmin).RequireClaim(Caller.PartnerIdClaim));
        return builder;
    }

    private static string SchemeFor(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<JwtSignInOptions>>().Value.Enabled
        && JwtSignIn.LooksLikeJwt(context.Request.Headers.Authorization)
            ? JwtSignIn.SchemeName
            : ApiKeyAuthenticationHandler.SchemeName;

    /// <summary>Says which Jwt setting is wrong, at start-up.</summary>
    private sealed class JwtSignInOptionsValidator : IValidateOptions<JwtSignInOptions>
    {
        public ValidateOptionsResult Validate(string? name, JwtSignInOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
