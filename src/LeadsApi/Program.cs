using System.CommandLine;
using LeadsApi.Demo;
using LeadsApi.Events;
using LeadsApi.Hosting;
using LeadsApi.Idempotency;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.LocalDatabase;
using LeadsApi.Matching;
using LeadsApi.Partners;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using LeadsApi.RateLimits;
using LeadsApi.Webhooks;
using Microsoft.Extensions.Options;

// No command: the web service, as `dotnet run` and the image start it. The commands share its composition.
var hostSettings = LeadsCommandLine.HostSettings();
var root = new RootCommand("""
    LeadsApi: the partner-facing REST API for leads. Without a command it runs the service; the host's own
    settings may follow, e.g. `LeadsApi --urls http://127.0.0.1:8080` or `--Leads:ResponseWindow=00:00:05`.
    """)
{
    hostSettings,
    AdminCommands.Create(ComposeApp),
    DatabaseCommands.Create(ComposeApp),
    HealthProbe.Create(),
    OpenApiExport.Create(ComposeApp),
};
root.SetAction(parsed => RunServiceAsync(parsed.GetValue(hostSettings) ?? []));
return await LeadsCommandLine.InvokeAsync(root, args);

static async Task<int> RunServiceAsync(string[] hostSettings)
{
    await using var app = ComposeApp(hostSettings);
    await using var database = await PrivateDatabase.StartIfNeededAsync(app.Configuration, app.Environment.ContentRootPath, app.Lifetime.ApplicationStopping);
    await app.Services.MigrateLeadsDatabaseAsync();
    await DemoBanner.SeedAndPrintAsync(app, database);
    await app.RunAsync();
    return 0;
}

// The app's one composition (the LeadsApi.Hosting.ComposeApp delegate): services, middleware, endpoints.
static WebApplication ComposeApp(string[] args, Action<WebApplicationBuilder>? adjust = null)
{
    var builder = WebApplication.CreateBuilder(args);
    adjust?.Invoke(builder);
    builder.ListenOnDefaultUrlUnlessConfigured()
        .AddLeadsLogging()
        .AddLeadsHttp()
        .AddLeadsCors()
        .AddLeadsPersistence()
        .AddLeadsIdentity()
        .AddLeads()
        .AddLeadEvents()
        .AddLeadsWebhooks()
        .AddLeadsMatching()
        .AddLeadsIdempotency()
        .AddLeadsRateLimits()
        .AddLeadsMetrics()
        .AddLeadsOpenApi();
    builder.Services.AddScoped<DemoData>();

    var app = builder.Build();
    // The host validates options when it starts; commands that never start it validate them here.
    app.Services.GetService<IStartupValidator>()?.Validate();
    app.UseLeadsRequestLogging();
    app.UseLeadsHttp();
    app.UseLeadsCors();
    // The contract and its UI are public and static: served before authentication and the rate limits.
    app.UseLeadsOpenApi();
    app.UseAuthentication();
    app.UseLeadsRateLimits();
    // After the rate limits, so that its 415 spends a token and says what is left, as every other answer does.
    app.UseUtf8RequestBodies();
    app.UseAuthorization();
    app.UseLeadsIdempotency();
    app.MapLeads();
    app.MapEvents();
    app.MapWebhooks();
    app.MapApiKeys();
    app.MapOnboarding();
    app.MapScorecards();
    app.MapPartnerProfile();
    app.MapMatching();
    app.MapProblemPages();
    app.MapHealth();
    app.MapLeadsMetrics();
    return app;
}

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
