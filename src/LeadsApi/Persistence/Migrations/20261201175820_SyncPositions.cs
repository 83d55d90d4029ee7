using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SyncPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "change_position",
                schema: "leads",
                table: "leads",
                type: "bigint",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()::text::bigint");

            migrationBuilder.CreateIndex(
                name: "ix_leads_partner_id_change_position_id",
                schema: "leads",
                table: "leads",
                columns: new[] { "partner_id", "change_position", "id" });

            // Every write of a lead stamps it with its transaction's id: inserts by the column's default, updates (the
            // application's, the expiry sweep's set-based UPDATE, any other) by this trigger. The delta sync reads in that
            // order below the commit horizon (CommitHorizon), so a change that commits late is never behind a cursor.
            migrationBuilder.Sql("""
                CREATE FUNCTION leads.stamp_change_position() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.change_position := pg_current_xact_id()::text::bigint;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER stamp_change_position BEFORE UPDATE ON leads.leads
                    FOR EACH ROW EXECUTE FUNCTION leads.stamp_change_position();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER stamp_change_position ON leads.leads; DROP FUNCTION leads.stamp_change_position();");

            migrationBuilder.DropIndex(
                name: "ix_leads_partner_id_change_position_id",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "change_position",
                schema: "leads",
                table: "leads");
        }
    }
}
