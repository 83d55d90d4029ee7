using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexPendingLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A GIN index takes new entries into a pending list that every search scans to the end, up to
            // gin_pending_list_limit (4 MB by default): after a burst of writes a search with no match took 25 ms instead
            // of 3 (docs/query-plans.md). 256 kB bounds that scan to about a millisecond; the writer that fills the list
            // merges it into the index, a few milliseconds once per 256 kB of new entries.
            migrationBuilder.Sql("""
                ALTER INDEX leads.ix_leads_search_company_name SET (gin_pending_list_limit = 256);
                ALTER INDEX leads.ix_leads_search_contact_name SET (gin_pending_list_limit = 256);
                ALTER INDEX leads.ix_leads_search_need SET (gin_pending_list_limit = 256);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER INDEX leads.ix_leads_search_company_name RESET (gin_pending_list_limit);
                ALTER INDEX leads.ix_leads_search_contact_name RESET (gin_pending_list_limit);
                ALTER INDEX leads.ix_leads_search_need RESET (gin_pending_list_limit);
                """);
        }
    }
}
