using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Events : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The version was the row's xmin, a system column; now it is the lead's own count of its changes, so an event can
            // carry it (xmin is only known after the write, and it wraps). A lead's version so far: its timeline entries.
            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "leads",
                table: "leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);
            migrationBuilder.Sql("""
                UPDATE leads.leads l SET version = (
                    SELECT count(*) FROM leads.timeline_entries t WHERE t.partner_id = l.partner_id AND t.lead_id = l.id);
                """);

            migrationBuilder.CreateTable(
                name: "events",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recipient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_version = table.Column<int>(type: "integer", nullable: false),
                    payload = table.Column<string>(type: "json", nullable: false),
                    transaction_id = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "pg_current_xact_id()::text::bigint"),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    fanned_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => new { x.partner_id, x.id });
                    table.ForeignKey(
                        name: "fk_events_leads_partner_id_lead_id",
                        columns: x => new { x.partner_id, x.lead_id },
                        principalSchema: "leads",
                        principalTable: "leads",
                        principalColumns: new[] { "partner_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "lead_reminders",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lead_reminders", x => new { x.partner_id, x.lead_id, x.type, x.due_at });
                    table.ForeignKey(
                        name: "fk_lead_reminders_leads_partner_id_lead_id",
                        columns: x => new { x.partner_id, x.lead_id },
                        principalSchema: "leads",
                        principalTable: "leads",
                        principalColumns: new[] { "partner_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                schema: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    event_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    disabled_reason = table.Column<string>(type: "text", nullable: true),
                    secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    previous_secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    previous_secret_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_failure_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_failure_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_failure_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                schema: "leads",
                columns: table => new
                {
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    event_partner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    event_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payload = table.Column<string>(type: "json", nullable: true),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    leased_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    attempts = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => new { x.subscription_id, x.id });
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_events_event_partner_id_event_id",
                        columns: x => new { x.event_partner_id, x.event_id },
                        principalSchema: "leads",
                        principalTable: "events",
                        principalColumns: new[] { "partner_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhook_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalSchema: "leads",
                        principalTable: "webhook_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_events_not_fanned_out",
                schema: "leads",
                table: "events",
                column: "sequence",
                filter: "fanned_out_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_events_occurred_at",
                schema: "leads",
                table: "events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_events_partner_id_lead_id",
                schema: "leads",
                table: "events",
                columns: new[] { "partner_id", "lead_id" });

            migrationBuilder.CreateIndex(
                name: "ix_events_recipient_recipient_id_transaction_id_sequence",
                schema: "leads",
                table: "events",
                columns: new[] { "recipient", "recipient_id", "transaction_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_due",
                schema: "leads",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_event_partner_id_event_id",
                schema: "leads",
                table: "webhook_deliveries",
                columns: new[] { "event_partner_id", "event_id" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_subscriptions_owner_kind_owner_id",
                schema: "leads",
                table: "webhook_subscriptions",
                columns: new[] { "owner_kind", "owner_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_reminders",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "webhook_deliveries",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "events",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions",
                schema: "leads");

            migrationBuilder.DropColumn(
                name: "version",
                schema: "leads",
                table: "leads");
        }
    }
}
