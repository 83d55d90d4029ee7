using LeadsApi.Demo;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.LocalDatabase;
using LeadsApi.Persistence;
using LeadsApi.Problems;

if (HealthProbe.IsProbe(args))
{
    return await HealthProbe.RunAsync(args);
}

if (AdminCommands.IsAdmin(args))
{
    return await AdminCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
if (OpenApiExport.IsExport(args))
{
    OpenApiExport.Prepare(builder);
}

builder.ListenOnDefaultUrlUnlessConfigured()
    .AddLeadsLogging()
    .AddLeadsHttp()
    .AddLeadsPersistence()
    .AddLeadsIdentity()
    .AddLeads()
    .AddLeadsOpenApi();
builder.Services.AddScoped<DemoData>();

await using var app = builder.Build();
app.UseLeadsRequestLogging();
app.UseLeadsHttp();
app.UseAuthentication();
app.UseAuthorization();
app.UseLeadsOpenApi();
app.MapLeads();
app.MapProblemPages();
app.MapHealth();

if (OpenApiExport.IsExport(args))
{
    return await OpenApiExport.WriteAsync(app, args);
}

await using var database = await StartDatabaseAsync(app);
if (database is null)
{
    return 1;
}

await app.Services.MigrateLeadsDatabaseAsync();
await DemoBanner.SeedAndPrintAsync(app, database);
await app.RunAsync();
return 0;

static async Task<PrivateDatabase?> StartDatabaseAsync(WebApplication app)
{
    try
    {
        return await PrivateDatabase.StartIfNeededAsync(app.Configuration, app.Environment.ContentRootPath, app.Lifetime.ApplicationStopping);
    }
    catch (PostgresUnavailableException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return null;
    }
}

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
