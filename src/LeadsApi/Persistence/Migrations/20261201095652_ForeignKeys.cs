using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <summary>
    /// The foreign keys the code has always assumed, each led by partner_id where it points at tenant data.
    /// Nothing deletes a partner, sender or lead, so every key restricts deletes instead of cascading them.
    /// </summary>
    /// <remarks>
    /// One transaction, like every migration: a violating row rolls it all back and leaves the schema as it was.
    /// Each ADD CONSTRAINT scans its table under a SHARE ROW EXCLUSIVE lock that blocks writes to both tables
    /// until the commit (about 0.7 s in all on the bench data: 200k leads, 600k timeline entries). ADD ... NOT
    /// VALID followed by VALIDATE CONSTRAINT would not block writes only if the VALIDATE ran in a later
    /// transaction; that needs suppressTransaction, which also drops EF's migration lock (several instances
    /// migrating at start are no longer safe) and leaves a half-applied migration when it is interrupted.
    /// </remarks>
    public partial class ForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Code paths create a partner or sender before anything that names it, but bench/seed-leads.sql gave
            // its leads a sender that had no row. A lead keeps its sender's id, kind and name: that restores the row.
            migrationBuilder.Sql(
                """
                INSERT INTO leads.senders (id, name, kind, created_at)
                SELECT DISTINCT ON (sender_id) sender_id, sender_name, sender_kind, received_at
                FROM leads.leads AS l
                WHERE NOT EXISTS (SELECT FROM leads.senders AS s WHERE s.id = l.sender_id)
                ORDER BY sender_id, received_at;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_favorites_partner_id_lead_id",
                schema: "leads",
                table: "favorites",
                columns: new[] { "partner_id", "lead_id" });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_partner_id",
                schema: "leads",
                table: "api_keys",
                column: "partner_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_sender_id",
                schema: "leads",
                table: "api_keys",
                column: "sender_id");

            migrationBuilder.AddForeignKey(
                name: "fk_leads_partners_partner_id",
                schema: "leads",
                table: "leads",
                column: "partner_id",
                principalSchema: "leads",
                principalTable: "partners",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // EF Core 10 cannot declare a key over a complex property's column (Lead.Sender.Id). A sender's leads
            // belong to many partners and senders are not tenant data: the one key not led by partner_id. EF does
            // not know this key, so it may insert a lead before a sender added in the same SaveChanges (it orders
            // unrelated inserts by table name); checked at commit, the order does not matter.
            migrationBuilder.Sql(
                """
                ALTER TABLE leads.leads ADD CONSTRAINT fk_leads_senders_sender_id FOREIGN KEY (sender_id)
                    REFERENCES leads.senders (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED;
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_timeline_entries_leads_partner_id_lead_id",
                schema: "leads",
                table: "timeline_entries",
                columns: new[] { "partner_id", "lead_id" },
                principalSchema: "leads",
                principalTable: "leads",
                principalColumns: new[] { "partner_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_favorites_leads_partner_id_lead_id",
                schema: "leads",
                table: "favorites",
                columns: new[] { "partner_id", "lead_id" },
                principalSchema: "leads",
                principalTable: "leads",
                principalColumns: new[] { "partner_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_api_keys_partners_partner_id",
                schema: "leads",
                table: "api_keys",
                column: "partner_id",
                principalSchema: "leads",
                principalTable: "partners",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_api_keys_senders_sender_id",
                schema: "leads",
                table: "api_keys",
                column: "sender_id",
                principalSchema: "leads",
                principalTable: "senders",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_leads_senders_sender_id",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropForeignKey(
                name: "fk_api_keys_partners_partner_id",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropForeignKey(
                name: "fk_api_keys_senders_sender_id",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropForeignKey(
                name: "fk_favorites_leads_partner_id_lead_id",
                schema: "leads",
                table: "favorites");

            migrationBuilder.DropForeignKey(
                name: "fk_leads_partners_partner_id",
                schema: "leads",
                table: "leads");

            migrationBuilder.DropForeignKey(
                name: "fk_timeline_entries_leads_partner_id_lead_id",
                schema: "leads",
                table: "timeline_entries");

            migrationBuilder.DropIndex(
                name: "ix_favorites_partner_id_lead_id",
                schema: "leads",
                table: "favorites");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_partner_id",
                schema: "leads",
                table: "api_keys");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_sender_id",
                schema: "leads",
                table: "api_keys");
        }
    }
}
