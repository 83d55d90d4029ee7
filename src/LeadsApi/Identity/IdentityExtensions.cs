using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace LeadsApi.Identity;

public static class IdentityExtensions
{
    public static IHostApplicationBuilder AddLeadsIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        // Authentication pulls in data protection, which nothing here uses (API keys are not cookies);
        // in-memory keys avoid writing key files to disk and the warnings about them in containers.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ReadLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader, Roles.Sender))
            .AddPolicy(Policies.ActOnLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.StarLeads, p => p.RequireRole(Roles.PartnerAdmin, Roles.ReferralsAdmin, Roles.ReferralsReader).RequireClaim(Caller.PartnerIdClaim))
            .AddPolicy(Policies.SendLeads, p => p.RequireRole(Roles.Sender).RequireClaim(Caller.SenderIdClaim))
            .AddPolicy(Policies.ManageWebhooks, p => p.RequireRole(Roles.PartnerAdmin, Roles.Sender));
        return builder;
    }
}
