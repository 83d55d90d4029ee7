using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every instance caches the keys it authenticated and listens on this channel: a key revoked or deleted, by
            // any path (the service, an operator's SQL), is dropped from every cache when the change commits.
            migrationBuilder.Sql("""
                CREATE FUNCTION leads.notify_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('leadsapi_api_keys', OLD.hash);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER api_key_changed AFTER UPDATE OR DELETE ON leads.api_keys
                    FOR EACH ROW EXECUTE FUNCTION leads.notify_api_key_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER api_key_changed ON leads.api_keys;
                DROP FUNCTION leads.notify_api_key_change();
                """);
        }
    }
}
