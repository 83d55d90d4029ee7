using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect provider of the test's own on a real Kestrel socket (127.0.0.1, a free port): an RSA key made
/// here, its JSON Web Key Set at <c>/jwks.json</c>, a discovery document at <c>/.well-known/openid-configuration</c>,
/// and tokens signed with the key. It counts how often the key set is fetched.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "api://leads";
    public const string KeyId = "test-key-1";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private int _keyFetches;

    private TestIssuer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref _keyFetches);
            return Results.Text(Jwks(), "application/json");
        });
        _app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = $"{Issuer}/jwks.json",
                ["id_token_signing_alg_values_supported"] = (string[])["RS256"],
            }),
            "application/json"));
    }

    /// <summary>http://127.0.0.1:port, the issuer's URL and the <c>iss</c> of its tokens.</summary>
    public string Issuer =>
        _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');

    public string JwksUrl => $"{Issuer}/jwks.json";

    public int KeyFetches => Volatile.Read(ref _keyFetches);

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        await issuer._app.StartAsync();
        return issuer;
    }

    /// <summary>The settings that make the service trust this issuer through its key set (or its discovery document).</summary>
    public IDictionary<string, string?> Settings(bool discovery = false)
    {
        var settings = new Dictionary<string, string?> { ["Jwt:Audience"] = Audience, ["Jwt:RequireHttpsMetadata"] = "false" };
        if (discovery)
        {
            settings["Jwt:Authority"] = Issuer;
        }
        else
        {
            settings["Jwt:JwksUrl"] = JwksUrl;
            settings["Jwt:Issuer"] = Issuer;
        }

        return settings;
    }

    /// <summary>
    /// A token signed with the issuer's key, valid from a minute before <paramref name="now"/> for an hour. Each
    /// member of <paramref name="claims"/> is a claim (a string array becomes a JSON array); a null value leaves the
    /// claim out. <paramref name="change"/> adjusts the descriptor last (issuer, audience, times, key).
    /// </summary>
    public string Token(DateTimeOffset now, IDictionary<string, object?> claims, Action<SecurityTokenDescriptor>? change = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime.AddMinutes(-1),
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            Expires = now.UtcDateTime.AddHours(1),
            Claims = claims.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Signing credentials with a key the key set does not publish, under the kid given.</summary>
    public SigningCredentials UnpublishedKey(string keyId) =>
        new(new RsaSecurityKey(_otherKey) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);

    /// <summary>The claims a partner's user has: partner, user, name and roles.</summary>
    public static Dictionary<string, object?> UserClaims(Guid partnerId, string user, string name, params string[] roles) => new()
    {
        ["partner_id"] = partnerId.ToString(),
        ["sub"] = user,
        ["name"] = name,
        ["roles"] = roles,
    };

    /// <summary>The same header and claims as a token, unsigned: <c>{"alg":"none"}</c> and an empty signature.</summary>
    public static string WithoutSignature(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"none","typ":"JWT","kid":"{{KeyId}}"}"""));
        return $"{header}.{token.Split('.')[1]}.";
    }

    /// <summary>The token with one character of its signature changed.</summary>
    public static string TamperedSignature(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{parts[1]}.{new string(signature)}";
    }

    /// <summary>The token with its claims replaced (here: another partner's id), the original signature kept.</summary>
    public static string TamperedPayload(string token, Guid partnerId)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
        claims["partner_id"] = JsonSerializer.SerializeToElement(partnerId.ToString());
        return $"{parts[0]}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims))}.{parts[2]}";
    }

    private string Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = KeyId,
                    ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                    ["e"] = Base64Url.EncodeToString(parameters.Exponent),
                },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
        _otherKey.Dispose();
    }
}

/// <summary>The service trusting a <see cref="TestIssuer"/> (through its key set, or its discovery document).</summary>
public class JwtLeadsApiFactory : LeadsApiFactory
{
    private TestIssuer? _issuer;

    public TestIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");

    protected virtual bool Discovery => false;

    protected override IDictionary<string, string?> Settings => Issuer.Settings(Discovery);

    public override async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>A client that sends the token as <c>Authorization: Bearer</c>.</summary>
    public HttpClient ClientWithToken(string token) => ClientWithKey(token);

    /// <summary>A token for a partner's user, signed by the issuer, valid now by the service's clock.</summary>
    public string TokenFor(Guid partnerId, string user = "ana@contoso.example", string name = "Ana Admin", params string[] roles) =>
        Issuer.Token(Clock.GetUtcNow(), TestIssuer.UserClaims(partnerId, user, name, roles.Length == 0 ? ["partnerAdmin"] : roles));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The same, through the issuer's discovery document (<c>Jwt:Authority</c>).</summary>
public sealed class JwtDiscoveryLeadsApiFactory : JwtLeadsApiFactory
{
    protected override bool Discovery => true;
}
