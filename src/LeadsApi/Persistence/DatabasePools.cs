using LeadsApi.LocalDatabase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsApi.Persistence;

/// <summary>
/// The two connection pools of an instance, sized from <see cref="DatabaseOptions"/>: one for requests and a
/// small one for background workers. Npgsql keeps one pool per distinct connection string, so the two
/// strings differ in their application name and size. Both wait a bounded time for a connection.
/// </summary>
public sealed class DatabasePools(IConfiguration configuration, IOptions<DatabaseOptions> options)
{
    public const string RequestsApplicationName = "leadsapi";
    public const string BackgroundApplicationName = "leadsapi-background";
    public const string ListenerApplicationName = "leadsapi-listener";

    /// <summary>The connection string LISTEN uses when the requests' goes through a pooler in transaction mode.</summary>
    public const string ListenerConnectionStringName = "LeadsListen";

    // The private database sets the connection string after start-up, so it is read when first needed.
    private Built? _built;

    public string Requests => Build().Requests;

    public string Background => Build().Background;

    /// <summary>One unpooled session for LISTEN: PostgreSQL itself, from ConnectionStrings:LeadsListen when set.</summary>
    public string Listener => new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ListenerConnectionStringName) ?? Build().Configured)
    {
        ApplicationName = ListenerApplicationName,
        Pooling = false,
        Timeout = options.Value.ConnectionTimeoutSeconds,
        KeepAlive = 30,
    }.ConnectionString;

    private Built Build()
    {
        var configured = configuration.GetConnectionString(PrivateDatabase.ConnectionStringName);
        if (_built is { } built && built.Configured == configured)
        {
            return built;
        }

        var settings = options.Value;
        return _built = new Built(
            configured,
            Pool(configured, RequestsApplicationName, settings.MaxPoolSize, settings),
            Pool(configured, BackgroundApplicationName, settings.BackgroundPoolSize, settings));
    }

    private static string Pool(string? configured, string applicationName, int size, DatabaseOptions settings) =>
        new NpgsqlConnectionStringBuilder(configured)
        {
            ApplicationName = applicationName,
            MaxPoolSize = size,
            MinPoolSize = 0,
            Timeout = settings.ConnectionTimeoutSeconds,
            CommandTimeout = settings.CommandTimeoutSeconds,
            MaxAutoPrepare = settings.MaxAutoPrepare,
            AutoPrepareMinUsages = 2,
            // The service sets no session state (no SET, temporary table, advisory lock or LISTEN on a pooled connection;
            // the listener has its own), so a returned connection needs no reset: without this, Npgsql puts seven reset
            // statements in front of each round trip (it keeps prepared statements, so not DISCARD ALL). An open
            // transaction is still rolled back when its connection returns.
            NoResetOnClose = true,
        }.ConnectionString;

    private sealed record Built(string? Configured, string Requests, string Background);
}

/// <summary>Contexts on the background pool, for workers that run outside any request.</summary>
public sealed class BackgroundDatabase(DatabasePools pools, ILoggerFactory loggers, IServiceProvider services)
{
    private DbContextOptions<LeadsDbContext>? _options;

    public LeadsDbContext CreateContext()
    {
        _options ??= PersistenceExtensions.UseLeadsDatabase(new DbContextOptionsBuilder<LeadsDbContext>(), pools.Background)
            .UseLoggerFactory(loggers)
            .UseApplicationServiceProvider(services)
            .Options;
        return new LeadsDbContext(_options);
    }
}
