using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LeadsApi.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the service or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LeadsDbContext>
{
    public LeadsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<LeadsDbContext>()
        .UseNpgsql("Host=localhost;Database=leads", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", LeadsDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
