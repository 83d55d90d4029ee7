using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "match",
                schema: "leads",
                table: "leads",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "next_lead_id",
                schema: "leads",
                table: "leads",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "previous_lead_id",
                schema: "leads",
                table: "leads",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "routing",
                schema: "leads",
                table: "leads",
                type: "jsonb",
                nullable: true);

            // The re-routing worker (RerouteWorker) claims the routed leads that are due: re-routing asked for, declined
            // (not as a duplicate) or expired, hops left, not handed on or ended yet. The filter restates
            // LeadRouting.HandsOn and Lead.IsDueForRerouting over the JSON the application writes (camelCase), so the
            // index holds only the leads due and stays empty while nothing waits. SQL, as EF declares no such index.
            migrationBuilder.Sql("""
                CREATE INDEX ix_leads_reroute_due ON leads.leads (updated_at)
                WHERE next_lead_id IS NULL AND (routing->>'reroute')::boolean AND routing->>'end' IS NULL
                  AND (routing->>'hop')::int < (routing->>'maxHops')::int
                  AND (status = 'expired' OR (status = 'declined' AND decline_reason <> 'duplicate'));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX leads.ix_leads_reroute_due;");

            migrationBuilder.DropColumn(
                name: "match",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "next_lead_id",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "previous_lead_id",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "routing",
                schema: "leads",
                table: "leads");
        }
    }
}
