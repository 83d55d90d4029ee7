using System.CommandLine;
using System.Text.Json;
using LeadsApi.Demo;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Limits;
using LeadsApi.LocalDatabase;
using LeadsApi.Persistence;

namespace LeadsApi.Identity;

/// <summary>
/// Operator bootstrap from the same executable: <c>LeadsApi admin create-partner --name "Contoso"</c>.
/// Each command prints exactly one JSON object on standard output; messages go to standard error. They run
/// on the app as the service composes it, on its database (the private one when no connection string is
/// set), after applying the migrations.
/// </summary>
public static class AdminCommands
{
    private const string Kinds = "marketplace, platformMarketing, platformSales, partner";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(ComposeApp compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        return new Command("admin", "Operator bootstrap: each command prints one JSON object; an API key is shown only this once.")
        {
            CreatePartner(compose),
            CreateSender(compose),
            CreateKey(compose),
            CreatePlatformKey(compose),
            SeedDemo(compose),
        };
    }

    private static Command CreatePartner(ComposeApp compose)
    {
        var name = NameOption("--name", "the partner's name");
        var command = new Command("create-partner", "A partner and its first partnerAdmin key: {\"partnerId\", \"apiKey\"}.") { name };
        command.SetAction((parsed, cancellationToken) => RunAsync(compose, async (services, _) =>
        {
            var (partner, key) = await services.GetRequiredService<ApiKeyIssuer>().CreatePartnerAsync(parsed.GetRequiredValue(name), cancellationToken);
            return new { partnerId = partner.Id, apiKey = key.ApiKey };
        }, cancellationToken));
        return command;
    }

    private static Command CreateSender(ComposeApp compose)
    {
        var name = NameOption("--name", "the sender's name");
        var kind = new Option<string>("--kind")
        {
            Description = $"what sends the leads: {Kinds}",
            HelpName = "kind",
            DefaultValueFactory = _ => "marketplace",
        };
        kind.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && ParseKind(text) is null)
            {
                result.AddError($"--kind must be one of {Kinds} (got '{text}').");
            }
        });
        var command = new Command("create-sender", "A sender and its key: {\"senderId\", \"apiKey\"}.") { name, kind };
        command.SetAction((parsed, cancellationToken) => RunAsync(compose, async (services, _) =>
        {
            var (sender, key) = await services.GetRequiredService<ApiKeyIssuer>()
                .CreateSenderAsync(parsed.GetRequiredValue(name), ParseKind(parsed.GetRequiredValue(kind))!.Value, cancellationToken);
            return new { senderId = sender.Id, apiKey = key.ApiKey };
        }, cancellationToken));
        return command;
    }

    private static Command CreateKey(ComposeApp compose)
    {
        var partner = new Option<Guid>("--partner")
        {
            Description = "the partner's id",
            Required = true,
            CustomParser = result =>
            {
                if (Guid.TryParse(result.Tokens.Single().Value, out var id))
                {
                    return id;
                }

                result.AddError("--partner must be a partner id (a GUID).");
                return Guid.Empty;
            },
        };
        var user = NameOption("--user", "the user's name");
        var role = new Option<string[]>("--role")
        {
            Description = "a role of the key, repeatable: partnerAdmin, referralsAdmin, referralsReader",
            Required = true,
        };
        var command = new Command("create-key", "Another key for a partner's user: {\"partnerId\", \"userId\", \"roles\", \"apiKey\"}.") { partner, user, role };
        command.SetAction((parsed, cancellationToken) => RunAsync(compose, async (services, _) =>
        {
            var (partnerId, roles) = (parsed.GetValue(partner), parsed.GetRequiredValue(role).ToList());
            var key = await services.GetRequiredService<ApiKeyIssuer>().CreatePartnerUserKeyAsync(partnerId, parsed.GetRequiredValue(user), roles, cancellationToken);
            return new { partnerId, userId = key.UserId, roles, apiKey = key.ApiKey };
        }, cancellationToken));
        return command;
    }

    private static Command CreatePlatformKey(ComposeApp compose)
    {
        var name = NameOption("--name", "who uses the key (a person or a system of the platform's staff)");
        var command = new Command(
            "create-platform-key",
            "A platformAdmin key, which onboards partners and senders over HTTP (POST /v1/partners, /v1/senders) and does nothing else: {\"keyId\", \"userId\", \"apiKey\"}.")
        {
            name,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(compose, async (services, _) =>
        {
            var key = await services.GetRequiredService<ApiKeyIssuer>().CreatePlatformKeyAsync(parsed.GetRequiredValue(name), cancellationToken);
            return new { keyId = key.KeyId, userId = key.UserId, apiKey = key.ApiKey };
        }, cancellationToken));
        return command;
    }

    private static Command SeedDemo(ComposeApp compose)
    {
        var command = new Command("seed-demo", "The demo partner, senders and leads (once) and the demo keys: {\"partnerId\", \"partnerKey\", \"readerKey\", \"senderKey\", \"platformKey\"}.");
        command.SetAction((_, cancellationToken) => RunAsync(compose, async (services, database) =>
            await services.GetRequiredService<DemoData>().SeedAsync(
                database.DataFolder is { } folder ? Path.Combine(folder, "demo-keys.json") : null, cancellationToken), cancellationToken));
        return command;
    }

    /// <summary>Runs one admin command on the composed app and prints its result as one line of JSON.</summary>
    private static async Task<int> RunAsync(ComposeApp compose, Func<IServiceProvider, PrivateDatabase, Task<object>> command, CancellationToken cancellationToken)
    {
        await using var app = compose([], builder => builder.LogToStandardError());
        await using var database = await PrivateDatabase.StartIfNeededAsync(app.Configuration, app.Environment.ContentRootPath, cancellationToken);
        await app.Services.MigrateLeadsDatabaseAsync(cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        object result;
        try
        {
            result = await command(scope.ServiceProvider, database);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message);
        }

        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        return 0;
    }

    /// <summary>A required name that fits its column: a longer one would fail the insert with a database error.</summary>
    private static Option<string> NameOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && FieldLimits.AccountName.Refuse(value) is { } problem)
            {
                result.AddError($"{name}: {problem}");
            }
        });
        return option;
    }

    private static SenderKind? ParseKind(string text) =>
        Enum.TryParse<SenderKind>(text, ignoreCase: true, out var kind) && !int.TryParse(text, out _) ? kind : null;
}
