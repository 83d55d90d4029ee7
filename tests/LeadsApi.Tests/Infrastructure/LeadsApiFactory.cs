using System.Net.Http.Headers;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// The real service over real HTTP plumbing (TestServer) on a database of its own, with a clock the
/// test moves. The background expiry sweep is effectively off (interval of 30 days) and the reminder
/// scheduler off unless a test runs them; the windows are the defaults unless a subclass changes them.
/// </summary>
public class LeadsApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private string _connectionString = "";

    public FakeTimeProvider Clock { get; } = new(Start);

    public string ConnectionString => _connectionString;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Whether the service reads <see cref="Clock"/> (the default) or the real time, for tests of what runs on its own.</summary>
    protected virtual bool UsesFakeClock => true;

    public virtual async Task InitializeAsync()
    {
        _connectionString = await CreateDatabaseAsync();
        StartHost(); // start the host now: applies migrations
    }

    /// <summary>Starts the in-memory test server; a subclass on Kestrel starts that instead.</summary>
    protected virtual void StartHost() => _ = Server;

    /// <summary>The database this host runs on: a fresh one on the shared test server unless a subclass brings its own.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Leads", _connectionString);
        builder.UseSetting("Leads:ExpirySweepInterval", "30.00:00:00");
        // Tests run the reminder scheduler themselves: a hosted one ticking when a test moves the clock 30 days on would race them.
        builder.UseSetting("Events:SchedulerEnabled", "false");
        builder.UseSetting("Idempotency:PurgeEnabled", "false");
        // Tests hand routed leads on themselves (RunRerouteAsync), after the decline or the sweep they make.
        builder.UseSetting("Matching:RerouteEnabled", "false");
        // The feed's horizon is the oldest transaction open in the whole test cluster, where other test classes write at
        // the same time: a read waits longer for them here than the 1 s a deployment waits, so a page holds every change.
        builder.UseSetting("Events:FeedCatchUpWait", "00:00:10");
        builder.UseSetting("Demo:Seed", "false");
        // Budgets no test spends: tests send requests as fast as they can (the fuzz, the property tests, concurrent
        // writers), and a 429 would hide what they look for. The limiter still runs, so every answer carries its headers;
        // RateLimitTests set small budgets of their own.
        builder.UseSetting("RateLimits:Reads:TokenLimit", "1000000");
        builder.UseSetting("RateLimits:Writes:TokenLimit", "1000000");
        builder.UseSetting("RateLimits:Anonymous:TokenLimit", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (UsesFakeClock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }

            ConfigureTestServices(services);
        });
    }

    /// <summary>A subclass's extra test services, such as a log sink.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public HttpClient ClientWithKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A new partner with an admin client, plus helpers for the partner's other users.</summary>
    public async Task<PartnerClients> NewPartnerAsync(string name = "Contoso")
    {
        await using var scope = Services.CreateAsyncScope();
        var issuer = scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>();
        var (partner, adminKey) = await issuer.CreatePartnerAsync(name, CancellationToken.None);
        var referralsAdmin = await issuer.CreatePartnerUserKeyAsync(partner.Id, "Rita Referrals", [Roles.ReferralsAdmin], CancellationToken.None);
        var reader = await issuer.CreatePartnerUserKeyAsync(partner.Id, "Rui Reader", [Roles.ReferralsReader], CancellationToken.None);
        return new PartnerClients(partner.Id, ClientWithKey(adminKey.ApiKey), ClientWithKey(referralsAdmin.ApiKey), ClientWithKey(reader.ApiKey), adminKey.ApiKey);
    }

    public async Task<SenderClient> NewSenderAsync(string name = "Marketplace", SenderKind kind = SenderKind.Marketplace)
    {
        await using var scope = Services.CreateAsyncScope();
        var (sender, key) = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().CreateSenderAsync(name, kind, CancellationToken.None);
        return new SenderClient(sender.Id, ClientWithKey(key.ApiKey), key.ApiKey);
    }

    /// <summary>A won body closed on the clock's current day, for tests that move the clock first.</summary>
    public object WonBodyToday() => new
    {
        finalValue = new { amount = 11500.00m, currency = "EUR" },
        closedOn = Clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        notes = "Signed",
    };

    public async Task<int> RunExpirySweepAsync() => await Services.GetRequiredService<ExpirySweep>().RunOnceAsync(CancellationToken.None);

    public async Task<int> RunIdempotencyPurgeAsync() => await Services.GetRequiredService<Idempotency.IdempotencyPurge>().RunOnceAsync(CancellationToken.None);

    public async Task<int> RunRerouteAsync() => await Services.GetRequiredService<Matching.RerouteWorker>().RunOnceAsync(CancellationToken.None);

    public async Task<int> RunReminderSchedulerAsync() => await Services.GetRequiredService<Events.ReminderScheduler>().RunOnceAsync(CancellationToken.None);

    public async Task<T> WithDbAsync<T>(Func<LeadsDbContext, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<LeadsDbContext>());
    }
}

public sealed record PartnerClients(Guid PartnerId, HttpClient Admin, HttpClient ReferralsAdmin, HttpClient Reader, string AdminKey);

public sealed record SenderClient(Guid SenderId, HttpClient Client, string ApiKey);
