using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "lead_version",
                schema: "leads",
                table: "events",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                schema: "leads",
                table: "events",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.CreateTable(
                name: "partner_profile_timeline",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_profile_timeline", x => new { x.partner_id, x.id });
                    table.ForeignKey(
                        name: "fk_partner_profile_timeline_partners_partner_id",
                        column: x => x.partner_id,
                        principalSchema: "leads",
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partner_profiles",
                schema: "leads",
                columns: table => new
                {
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expertise_keywords = table.Column<string[]>(type: "text[]", nullable: false),
                    industries = table.Column<string[]>(type: "text[]", nullable: false),
                    company_sizes = table.Column<string[]>(type: "text[]", nullable: false),
                    business_models = table.Column<string[]>(type: "text[]", nullable: false),
                    lead_types = table.Column<string[]>(type: "text[]", nullable: false),
                    languages = table.Column<string[]>(type: "text[]", nullable: false),
                    countries = table.Column<string[]>(type: "text[]", nullable: false),
                    locations = table.Column<string>(type: "jsonb", nullable: false),
                    weekly_capacity = table.Column<int>(type: "integer", nullable: true),
                    paused_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    pause_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_profiles", x => x.partner_id);
                    table.ForeignKey(
                        name: "fk_partner_profiles_partners_partner_id",
                        column: x => x.partner_id,
                        principalSchema: "leads",
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_partner_profile_timeline_partner_id_sequence",
                schema: "leads",
                table: "partner_profile_timeline",
                columns: new[] { "partner_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_partner_profiles_countries",
                schema: "leads",
                table: "partner_profiles",
                column: "countries")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partner_profiles_expertise_keywords",
                schema: "leads",
                table: "partner_profiles",
                column: "expertise_keywords")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partner_profiles_industries",
                schema: "leads",
                table: "partner_profiles",
                column: "industries")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partner_profiles_lead_types",
                schema: "leads",
                table: "partner_profiles",
                column: "lead_types")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_profile_timeline",
                schema: "leads");

            migrationBuilder.DropTable(
                name: "partner_profiles",
                schema: "leads");

            migrationBuilder.AlterColumn<int>(
                name: "lead_version",
                schema: "leads",
                table: "events",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                schema: "leads",
                table: "events",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
