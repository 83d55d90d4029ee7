using System.Text.Json;
using LeadsApi.Demo;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Leads;
using LeadsApi.Limits;
using LeadsApi.LocalDatabase;
using LeadsApi.Persistence;

namespace LeadsApi.Identity;

/// <summary>
/// Operator bootstrap from the same executable: <c>LeadsApi admin create-partner --name "Contoso"</c>.
/// Each command prints exactly one JSON object on standard output; messages go to standard error.
/// </summary>
public static class AdminCommands
{
    private const string Usage = """
        usage: LeadsApi admin <command> [options]
          create-partner --name <name>                       a partner and its first partnerAdmin key
          create-sender  --name <name> [--kind <kind>]        a sender (kind: marketplace, platformMarketing, platformSales, partner)
          create-key     --partner <id> --user <name> --role <role> [--role <role>...]
                                                              another key for a partner's user (partnerAdmin, referralsAdmin, referralsReader)
          seed-demo                                           the demo partner, senders and leads (once) and demo keys
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsAdmin(string[] args) => args is ["admin", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args.Length > 1 ? args[1] : "";
        var options = Options(args.Skip(2).ToArray());
        if (options is null || command is not ("create-partner" or "create-sender" or "create-key" or "seed-demo"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.AddLeadsHttp().AddLeadsPersistence().AddLeadsIdentity();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<LeadsOptions>().Bind(builder.Configuration.GetSection(LeadsOptions.Section));
        builder.Services.AddScoped<DemoData>();
        await using var app = builder.Build();
        try
        {
            await using var database = await PrivateDatabase.StartIfNeededAsync(app.Configuration, app.Environment.ContentRootPath, CancellationToken.None);
            await app.Services.MigrateLeadsDatabaseAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var issuer = scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>();
            object result = command switch
            {
                "create-partner" => await CreatePartnerAsync(issuer, options),
                "create-sender" => await CreateSenderAsync(issuer, options),
                "create-key" => await CreateKeyAsync(issuer, options),
                _ => await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(
                    database.DataFolder is { } folder ? Path.Combine(folder, "demo-keys.json") : null, CancellationToken.None),
            };
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or PostgresUnavailableException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<object> CreatePartnerAsync(ApiKeyIssuer issuer, ILookup<string, string> options)
    {
        var (partner, key) = await issuer.CreatePartnerAsync(Name(options, "name"), CancellationToken.None);
        return new { partnerId = partner.Id, apiKey = key.ApiKey };
    }

    private static async Task<object> CreateSenderAsync(ApiKeyIssuer issuer, ILookup<string, string> options)
    {
        var kindText = options["kind"].LastOrDefault() ?? "marketplace";
        if (!Enum.TryParse<SenderKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
        {
            throw new ArgumentException($"--kind must be one of marketplace, platformMarketing, platformSales, partner (got '{kindText}').");
        }

        var (sender, key) = await issuer.CreateSenderAsync(Name(options, "name"), kind, CancellationToken.None);
        return new { senderId = sender.Id, apiKey = key.ApiKey };
    }

    private static async Task<object> CreateKeyAsync(ApiKeyIssuer issuer, ILookup<string, string> options)
    {
        if (!Guid.TryParse(Required(options, "partner"), out var partnerId))
        {
            throw new ArgumentException("--partner must be a partner id (a GUID).");
        }

        var roles = options["role"].ToList();
        if (roles.Count == 0)
        {
            throw new ArgumentException("--role is required: partnerAdmin, referralsAdmin or referralsReader.");
        }

        var key = await issuer.CreatePartnerUserKeyAsync(partnerId, Name(options, "user"), roles, CancellationToken.None);
        return new { partnerId, userId = key.UserId, roles, apiKey = key.ApiKey };
    }

    private static string Required(ILookup<string, string> options, string name) =>
        options[name].LastOrDefault() is { Length: > 0 } value ? value : throw new ArgumentException($"--{name} is required.");

    /// <summary>A name that fits its column: a longer one would fail the insert with a database error.</summary>
    private static string Name(ILookup<string, string> options, string name)
    {
        var value = Required(options, name);
        return FieldLimits.AccountName.Refuse(value) is { } problem ? throw new ArgumentException($"--{name}: {problem}") : value;
    }

    /// <summary>--name value pairs; null when the arguments are not such pairs.</summary>
    private static ILookup<string, string>? Options(string[] args)
    {
        if (args.Length % 2 != 0 || args.Where((_, i) => i % 2 == 0).Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            return null;
        }

        return args.Chunk(2).ToLookup(pair => pair[0][2..], pair => pair[1], StringComparer.Ordinal);
    }
}
