using LeadsApi.LocalDatabase;

namespace LeadsApi.Demo;

/// <summary>Seeds the demo data on the private database (or when Demo:Seed is true) and prints how to call the service.</summary>
public static class DemoBanner
{
    public static async Task SeedAndPrintAsync(WebApplication app, PrivateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(database);
        if (!app.Configuration.GetValue("Demo:Seed", database.IsPrivate))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var keyFile = database.DataFolder is { } folder ? Path.Combine(folder, "demo-keys.json") : null;
        var keys = await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(keyFile, app.Lifetime.ApplicationStopping);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = (app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080").Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
            Console.WriteLine($"""

                LeadsApi is running on {url}
                  Database:    {database.Description ?? "ConnectionStrings:Leads"}
                  Swagger UI:  {url}/swagger
                  Demo partner {keys.PartnerId}; paste these into your shell for the README's curl walk-through:

                export LEADS_URL={url}
                export PARTNER_KEY={keys.PartnerKey}
                export READER_KEY={keys.ReaderKey}
                export SENDER_KEY={keys.SenderKey}
                export PLATFORM_KEY={keys.PlatformKey}
                export PARTNER_ID={keys.PartnerId}

                Press Ctrl+C to stop ({(database.StopsWithService ? "the database stops too; its data stays for the next start" : "the database keeps running")}).

                """);
        });
    }
}
