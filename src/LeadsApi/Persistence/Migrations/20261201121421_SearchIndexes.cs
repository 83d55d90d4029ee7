using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The list's q (ILIKE '%text%' on company name, contact name and need) within one partner: trigram GIN indexes
            // led by partner_id (btree_gin), so a search reads the partner's matching rows instead of all its leads. Both
            // extensions ship with PostgreSQL's contrib and are trusted: a database owner can create them.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE EXTENSION IF NOT EXISTS btree_gin;
                CREATE INDEX ix_leads_search_company_name ON leads.leads USING gin (partner_id, customer_company_name gin_trgm_ops);
                CREATE INDEX ix_leads_search_contact_name ON leads.leads USING gin (partner_id, customer_contact_name gin_trgm_ops);
                CREATE INDEX ix_leads_search_need ON leads.leads USING gin (partner_id, need gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX leads.ix_leads_search_company_name;
                DROP INDEX leads.ix_leads_search_contact_name;
                DROP INDEX leads.ix_leads_search_need;
                """);
        }
    }
}
