using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace LeadsApi.Persistence;

public static class PersistenceExtensions
{
    public static IHostApplicationBuilder AddLeadsPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .Validate(o => o.IsValid(), "Database: MaxPoolSize 1-1000, BackgroundPoolSize 1-100, ConnectionTimeoutSeconds 1-60, CommandTimeoutSeconds 1-600, RetryAfterSeconds 1-600.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabasePools>();
        builder.Services.AddSingleton<BackgroundDatabase>();
        // No EnableRetryOnFailure: it replays a whole unit of work, which is unsafe for a write the client did
        // not make idempotent, and for reads it holds a pool slot longer exactly when slots are scarce. A
        // transient failure answers 503 with Retry-After at once and the client decides (docs/operations.md).
        // Pooled: a request leases a context instead of building one (and its services) each time.
        builder.Services.AddDbContextPool<LeadsDbContext>((services, options) =>
            UseLeadsDatabase(options, services.GetRequiredService<DatabasePools>().Requests));
        builder.Services.AddHealthChecks().AddDbContextCheck<LeadsDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>The provider settings every context shares, on the pool the connection string names.</summary>
    public static TBuilder UseLeadsDatabase<TBuilder>(TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", LeadsDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            // A failed command surfaces as an exception that the exception handler logs once; EF's own
            // error line would also fire for the expected miss of the history table on a fresh database.
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug)));
        return options;
    }

    /// <summary>Applies pending migrations unless <c>Database:Migrate</c> is false (then run the migration bundle).</summary>
    public static async Task MigrateLeadsDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Migrate)
        {
            return;
        }

        // Migrations run on the background pool, and without the request's command timeout.
        await using var db = services.GetRequiredService<BackgroundDatabase>().CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.MigrateAsync(cancellationToken);
    }
}
