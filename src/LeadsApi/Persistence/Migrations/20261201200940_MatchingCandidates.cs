using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MatchingCandidates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "expertise_words",
                schema: "leads",
                table: "partner_profiles",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            // Profiles saved before this column: their keywords' words as MatchScoring.ExpertiseWords splits them (letters,
            // digits, # and + make words), lower case, each once. Every later save writes the column from the domain.
            migrationBuilder.Sql("""
                UPDATE leads.partner_profiles p
                SET expertise_words = ARRAY(
                    SELECT DISTINCT w FROM unnest(p.expertise_keywords) k, regexp_split_to_table(lower(k), '[^[:alnum:]#+]+') w
                    WHERE w <> '' ORDER BY w);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_partner_profiles_expertise_words",
                schema: "leads",
                table: "partner_profiles",
                column: "expertise_words")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_partner_profiles_expertise_words",
                schema: "leads",
                table: "partner_profiles");

            migrationBuilder.DropColumn(
                name: "expertise_words",
                schema: "leads",
                table: "partner_profiles");
        }
    }
}
