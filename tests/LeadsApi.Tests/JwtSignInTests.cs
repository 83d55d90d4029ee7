using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LeadsApi.Identity;
using LeadsApi.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace LeadsApi.Tests;

/// <summary>
/// Sign-in for front-ends: a JWT signed by the test's own issuer (an RSA key made here, its key set served over real
/// HTTP on 127.0.0.1) is the same caller an API key is: the same policies, the same tenancy. Every token that is not
/// right is a 401 <c>unauthenticated</c> problem whose challenge says why, and nothing reads credentials from a URL.
/// </summary>
public sealed partial class JwtSignInTests(JwtLeadsApiFactory api) : IClassFixture<JwtLeadsApiFactory>
{
    [Fact]
    public async Task ReaderToken_ListsAndReadsThePartnersLeads()
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var reader = api.ClientWithToken(api.TokenFor(partner.PartnerId, "rui@contoso.example", "Rui Reader", "referralsReader"));

        var list = await reader.GetJsonAsync("/v1/leads");
        var read = await reader.GetJsonAsync($"/v1/leads/{lead.Id()}");

        Assert.Equal([lead.Id()], list.GetProperty("items").EnumerateArray().Select(l => l.Id()));
        Assert.Equal(Api.VersionOf(lead.Str("etag")), Api.VersionOf(read.Str("etag")));
    }

    [Fact]
    public async Task PartnerAdminToken_AcceptsALead_AndTheTimelineNamesTheTokensUser()
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var admin = api.ClientWithToken(api.TokenFor(partner.PartnerId, "auth0|5f7c8ec7c33c6c004bbafe82", "Ana Admin", "partnerAdmin"));

        var accepted = await (await admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
        var timeline = await admin.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline");

        Assert.Equal("accepted", accepted.Str("status"));
        var actor = timeline.GetProperty("items").EnumerateArray().Last().GetProperty("actor");
        Assert.Equal("Ana Admin", actor.Str("name"));
        Assert.Equal(JwtSignIn.UserIdOf(api.Issuer.Issuer, "auth0|5f7c8ec7c33c6c004bbafe82").ToString(), actor.Str("id"));
    }

    [Fact]
    public async Task ReaderToken_ActingOnALead_Returns403Forbidden()
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var reader = api.ClientWithToken(api.TokenFor(partner.PartnerId, roles: "referralsReader"));

        var response = await reader.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await partner.Admin.ShouldBeUnchangedAsync(lead);
    }

    [Fact]
    public async Task TokenOfAnotherPartner_Returns404ForTheLead_AndListsNone()
    {
        var (_, lead) = await PartnerWithALeadAsync();
        var other = await api.NewPartnerAsync("Northwind");
        var client = api.ClientWithToken(api.TokenFor(other.PartnerId));

        var read = await client.GetAsync($"/v1/leads/{lead.Id()}");
        var accept = await client.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody);
        var list = await client.GetJsonAsync("/v1/leads");

        await read.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        await accept.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task StarsOfATokensUser_AreThatUsersOnly_FromOneTokenToTheNext()
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var first = api.ClientWithToken(api.TokenFor(partner.PartnerId, "user-1", roles: "referralsReader"));
        var again = api.ClientWithToken(api.TokenFor(partner.PartnerId, "user-1", roles: "referralsReader"));
        var colleague = api.ClientWithToken(api.TokenFor(partner.PartnerId, "user-2", roles: "referralsReader"));

        await (await first.PutAsync($"/v1/leads/{lead.Id()}/favorite", null)).ShouldBeAsync(HttpStatusCode.NoContent);

        Assert.True((await again.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("favorite").GetBoolean());
        Assert.False((await colleague.GetJsonAsync($"/v1/leads/{lead.Id()}")).GetProperty("favorite").GetBoolean());
    }

    [Fact]
    public async Task ApiKeys_StillWork_BesideTokens()
    {
        var (partner, lead) = await PartnerWithALeadAsync();

        var read = await partner.Reader.GetJsonAsync($"/v1/leads/{lead.Id()}");

        Assert.Equal(lead.Id(), read.Id());
    }

    [Fact]
    public async Task SigningKeys_AreFetchedOnce_ThenCached()
    {
        var partner = await api.NewPartnerAsync();
        var client = api.ClientWithToken(api.TokenFor(partner.PartnerId));
        await client.GetJsonAsync("/v1/leads");
        var fetched = api.Issuer.KeyFetches;

        for (var i = 0; i < 5; i++)
        {
            await api.ClientWithToken(api.TokenFor(partner.PartnerId, $"user-{i}")).GetJsonAsync("/v1/leads");
        }

        Assert.InRange(fetched, 1, 2);
        Assert.Equal(fetched, api.Issuer.KeyFetches);
    }

    /// <summary>What each refused token's challenge says; the times are the fixture's clock's (no test of this class moves it).</summary>
    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "alg none", "signature is invalid" },
        { "expired", "expired at 2026-11-24T09:55:00Z" },
        { "not yet valid", "not valid before 2026-11-24T10:10:00Z" },
        { "wrong audience", "audience is not this API" },
        { "wrong issuer", "issuer 'https://login.evil.example' is invalid" },
        { "tampered signature", "signature is invalid" },
        { "tampered claims", "signature is invalid" },
        { "unknown key id", "signature key was not found" },
        { "missing partner claim", "no partner_id claim" },
        { "partner claim not a GUID", "partner_id claim is not a partner id" },
        { "unknown partner", "names no partner" },
        { "missing user claim", "no sub claim" },
        { "no roles", "no roles claim" },
        { "unknown role", "role this API does not give" },
        { "sender role", "role this API does not give" },
        { "no expiry", "no expiration" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task RefusedToken_Returns401Unauthenticated_WithAnInvalidTokenChallengeSayingWhy(string kind, string reason)
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var token = Refused(kind, partner.PartnerId);

        var response = await api.ClientWithToken(token).GetAsync($"/v1/leads/{lead.Id()}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var challenge = Assert.Single(response.Headers.GetValues("WWW-Authenticate"));
        var description = Challenge().Match(challenge);
        Assert.True(description.Success, $"Not an invalid_token challenge: {challenge}");
        Assert.Contains(reason, description.Groups["description"].Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Fabrikam", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedToken_WithQuotesInItsIssuer_KeepsTheChallengeAQuotedString()
    {
        var partner = await api.NewPartnerAsync();
        var token = api.Issuer.Token(api.Clock.GetUtcNow(), TestIssuer.UserClaims(partner.PartnerId, "u", "U", "partnerAdmin"),
            d => d.Issuer = "https://evil.example/\"\\\r\n");

        var response = await api.ClientWithToken(token).GetAsync("/v1/leads");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Matches(Challenge(), Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("api_key")]
    public async Task CredentialsInTheQueryString_AreNeverAccepted(string parameter)
    {
        var (partner, lead) = await PartnerWithALeadAsync();
        var credential = parameter == "access_token" ? api.TokenFor(partner.PartnerId) : partner.AdminKey;
        var client = api.CreateClient();

        var read = await client.GetAsync($"/v1/leads/{lead.Id()}?{parameter}={Uri.EscapeDataString(credential)}");
        var list = await client.GetAsync($"/v1/leads?{parameter}={Uri.EscapeDataString(credential)}");

        foreach (var response in new[] { read, list })
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
            Assert.Contains("query string", problem.Str("detail"), StringComparison.Ordinal);
            Assert.DoesNotContain("Fabrikam", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", true)]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", true)]
    [InlineData("a.b.c", true)]
    [InlineData("lak_8mYq3Jv0p6Xj2bH1w9Qe4TzR7sKcLdNfGhUiOaPyVxE", false)]
    [InlineData("a.b", false)]
    [InlineData("a.b.c.d", false)]
    [InlineData(".b.c", false)]
    [InlineData("a..c", false)]
    [InlineData("a.b.c=", false)]
    [InlineData("a.b+.c", false)]
    public void BearerValue_GoesToTheJwtScheme_OnlyWhenItHasThreeBase64UrlSegments(string value, bool jwt)
    {
        Assert.Equal(jwt, JwtSignIn.LooksLikeJwt($"Bearer {value}"));
        Assert.Equal(jwt, JwtSignIn.LooksLikeJwt($"bearer   {value} "));
        Assert.False(JwtSignIn.LooksLikeJwt($"Basic {value}"));
        Assert.False(JwtSignIn.LooksLikeJwt(value));
    }

    [Theory]
    [InlineData(null, null, null, null, null)]
    [InlineData("https://login.example", null, null, "api://leads", null)]
    [InlineData(null, "https://login.example/keys", "https://login.example", "api://leads", null)]
    [InlineData("https://login.example", null, null, null, "Jwt:Audience is required")]
    [InlineData(null, "https://login.example/keys", null, "api://leads", "Jwt:Issuer is required")]
    [InlineData("https://login.example", "https://login.example/keys", "https://login.example", "api://leads", "not both")]
    [InlineData("http://login.example", null, null, "api://leads", "must use https")]
    [InlineData("login.example", null, null, "api://leads", "absolute http(s) URL")]
    public void Settings_AreCheckedAtStartUp(string? authority, string? jwksUrl, string? issuer, string? audience, string? problem)
    {
        var options = new JwtSignInOptions { Authority = authority, JwksUrl = jwksUrl, Issuer = issuer, Audience = audience };

        if (problem is null)
        {
            Assert.Null(options.Problem());
        }
        else
        {
            Assert.Contains(problem, options.Problem(), StringComparison.Ordinal);
        }
    }

    private string Refused(string kind, Guid partnerId)
    {
        var now = api.Clock.GetUtcNow();
        var claims = TestIssuer.UserClaims(partnerId, "ana@contoso.example", "Ana Admin", "partnerAdmin");
        string Token(Action<SecurityTokenDescriptor>? change = null) => api.Issuer.Token(now, claims, change);
        string With(string claim, object? value)
        {
            claims[claim] = value;
            return Token();
        }

        return kind switch
        {
            "alg none" => TestIssuer.WithoutSignature(Token()),
            "expired" => Token(d => (d.NotBefore, d.Expires, d.IssuedAt) = (now.UtcDateTime.AddHours(-2), now.UtcDateTime.AddMinutes(-5), now.UtcDateTime.AddHours(-2))),
            "not yet valid" => Token(d => (d.NotBefore, d.Expires) = (now.UtcDateTime.AddMinutes(10), now.UtcDateTime.AddHours(1))),
            "wrong audience" => Token(d => d.Audience = "api://another-api"),
            "wrong issuer" => Token(d => d.Issuer = "https://login.evil.example"),
            "tampered signature" => TestIssuer.TamperedSignature(Token()),
            "tampered claims" => TestIssuer.TamperedPayload(Token(), Guid.CreateVersion7()),
            "unknown key id" => Token(d => d.SigningCredentials = api.Issuer.UnpublishedKey("unknown-key")),
            "missing partner claim" => With("partner_id", null),
            "partner claim not a GUID" => With("partner_id", "contoso"),
            "unknown partner" => With("partner_id", Guid.CreateVersion7().ToString()),
            "missing user claim" => With("sub", null),
            "no roles" => With("roles", null),
            "unknown role" => With("roles", (string[])["referralsReader", "superUser"]),
            "sender role" => With("roles", (string[])["sender"]),
            "no expiry" => Token(d => d.Expires = null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private async Task<(PartnerClients Partner, System.Text.Json.JsonElement Lead)> PartnerWithALeadAsync()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        return (partner, await sender.CreateLeadAsync(partner.PartnerId));
    }

    /// <summary>RFC 6750's challenge for a refused token, its description a quoted-string with no quote or backslash in it.</summary>
    [GeneratedRegex("""^Bearer error="invalid_token", error_description="(?<description>[^"\\]+)"$""")]
    private static partial Regex Challenge();
}

/// <summary>The same provider found through its discovery document (<c>Jwt:Authority</c>) instead of a key set URL.</summary>
public sealed class JwtDiscoveryTests(JwtDiscoveryLeadsApiFactory api) : IClassFixture<JwtDiscoveryLeadsApiFactory>
{
    [Fact]
    public async Task Token_FromTheDiscoveredIssuer_ListsThePartnersLeads_AndAWrongIssuerIsRefused()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var claims = TestIssuer.UserClaims(partner.PartnerId, "ana", "Ana", "referralsReader");

        var list = await api.ClientWithToken(api.TokenFor(partner.PartnerId, roles: "referralsReader")).GetJsonAsync("/v1/leads");
        var wrongIssuer = await api.ClientWithToken(api.Issuer.Token(api.Clock.GetUtcNow(), claims, d => d.Issuer = "https://login.evil.example"))
            .GetAsync("/v1/leads");

        Assert.Equal([lead.Id()], list.GetProperty("items").EnumerateArray().Select(l => l.Id()));
        await wrongIssuer.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

/// <summary>Without Jwt settings there is no token sign-in: a JWT is just an unknown API key.</summary>
public sealed class JwtSignInOffTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task Token_WhenSignInIsNotConfigured_Returns401AsAnUnknownKey()
    {
        var partner = await api.NewPartnerAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var token = issuer.Token(api.Clock.GetUtcNow(), TestIssuer.UserClaims(partner.PartnerId, "ana", "Ana", "partnerAdmin"));

        var response = await api.ClientWithKey(token).GetAsync("/v1/leads");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        Assert.Contains("API key", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, issuer.KeyFetches);
    }
}
