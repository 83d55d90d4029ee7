using LeadsApi.LocalDatabase;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadsApi.Persistence;

public static class PersistenceExtensions
{
    public static IHostApplicationBuilder AddLeadsPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDbContext<LeadsDbContext>(options => options
            .UseNpgsql(
                builder.Configuration.GetConnectionString(PrivateDatabase.ConnectionStringName),
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", LeadsDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            // A failed command surfaces as an exception that the exception handler logs once; EF's own
            // error line would also fire for the expected miss of the history table on a fresh database.
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug))));
        builder.Services.AddHealthChecks().AddDbContextCheck<LeadsDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Applies pending migrations unless <c>Database:Migrate</c> is false (then run the migration bundle).</summary>
    public static async Task MigrateLeadsDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetRequiredService<IConfiguration>().GetValue("Database:Migrate", true))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LeadsDbContext>().Database.MigrateAsync(cancellationToken);
    }
}
