using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "leads");

            migrationBuilder.CreateTable(
                name: "api_keys",
                schema: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    partner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sender_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    roles = table.Column<string[]>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "favorites",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_favorites", x => new { x.partner_id, x.user_id, x.lead_id });
                });

            migrationBuilder.CreateTable(
                name: "leads",
                schema: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    campaign_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    need = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    contact_requested = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    respond_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    customer_company_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    customer_company_size = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    customer_contact_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    customer_country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    customer_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    customer_industry = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    customer_phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    deal_campaign_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    deal_crm_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    deal_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    deal_estimated_close_date = table.Column<DateOnly>(type: "date", nullable: true),
                    deal_notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    deal_estimated_value_amount = table.Column<decimal>(type: "numeric", nullable: true),
                    deal_estimated_value_currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: true),
                    decline_notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    decline_reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    outcome_closed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    outcome_lost_reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    outcome_notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    outcome_result = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    outcome_final_value_amount = table.Column<decimal>(type: "numeric", nullable: true),
                    outcome_final_value_currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: true),
                    sender_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sender_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    sender_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    team = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_leads", x => new { x.partner_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "partners",
                schema: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partners", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "senders",
                schema: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_senders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "timeline_entries",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    from_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    to_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline_entries", x => new { x.partner_id, x.lead_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_hash",
                schema: "leads",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_leads_due_for_expiry",
                schema: "leads",
                table: "leads",
                column: "respond_by",
                filter: "status = 'received'");

            migrationBuilder.CreateIndex(
                name: "ix_leads_partner_id_received_at_id",
                schema: "leads",
                table: "leads",
                columns: new[] { "partner_id", "received_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_partner_id_respond_by_id",
                schema: "leads",
                table: "leads",
                columns: new[] { "partner_id", "respond_by", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_partner_id_status_respond_by",
                schema: "leads",
                table: "leads",
                columns: new[] { "partner_id", "status", "respond_by" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_partner_id_updated_at_id",
                schema: "leads",
                table: "leads",
                columns: new[] { "partner_id", "updated_at", "id" });

            // Indexes on complex-type columns and expressions, which EF Core 10 cannot declare.
            // Senders read the leads they sent across partners: the one index not led by partner_id.
            migrationBuilder.Sql("CREATE INDEX ix_leads_sender_received_at ON leads.leads (sender_id, received_at, id);");
            // A sender's externalId names one lead per partner; a retried create finds it.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_leads_partner_sender_external_id ON leads.leads (partner_id, sender_id, external_id) WHERE external_id IS NOT NULL;");
            // sort=estimatedValue orders by COALESCE(amount, -1) so leads without a deal have a key.
            migrationBuilder.Sql("CREATE INDEX ix_leads_partner_estimated_value ON leads.leads (partner_id, (COALESCE(deal_estimated_value_amount, -1.0)), id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "favorites",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "leads",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "partners",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "senders",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "timeline_entries",
                schema: "leads");
        }
    }
}
