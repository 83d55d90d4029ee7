using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyManagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "created_by_name",
                schema: "leads",
                table: "api_keys",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "created_by_user_id",
                schema: "leads",
                table: "api_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                schema: "leads",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_used_at",
                schema: "leads",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prefix",
                schema: "leads",
                table: "api_keys",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "lak_");

            // Keys issued before this migration: only their hash is known, so their prefix is the one all keys share.
            migrationBuilder.Sql("ALTER TABLE leads.api_keys ALTER COLUMN prefix DROP DEFAULT;");

            // Revocation reaches every instance's cache through this trigger. last_used_at changes once a minute per key in
            // use (ApiKeyUsage) and revokes nothing, so it no longer notifies: a busy key would flush every cache each minute.
            migrationBuilder.Sql("""
                DROP TRIGGER api_key_changed ON leads.api_keys;
                CREATE TRIGGER api_key_changed AFTER UPDATE ON leads.api_keys
                    FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
                    EXECUTE FUNCTION leads.notify_api_key_change();
                CREATE TRIGGER api_key_deleted AFTER DELETE ON leads.api_keys
                    FOR EACH ROW EXECUTE FUNCTION leads.notify_api_key_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER api_key_deleted ON leads.api_keys;
                DROP TRIGGER api_key_changed ON leads.api_keys;
                CREATE TRIGGER api_key_changed AFTER UPDATE OR DELETE ON leads.api_keys
                    FOR EACH ROW EXECUTE FUNCTION leads.notify_api_key_change();
                """);

            migrationBuilder.DropColumn(
                name: "created_by_name",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "created_by_user_id",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "expires_at",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "last_used_at",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "prefix",
                schema: "leads",
                table: "api_keys");
        }
    }
}
