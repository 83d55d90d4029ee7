using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MatchingCustomerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Matching (CandidateSource, docs/query-plans.md), measured by bench/matching.sh:
            // - the same-customer answers are looked up by the customer, not by the thousands of candidate partners: their
            //   email domain has this index, their company name the trigram index of the search (ix_leads_search_company_name,
            //   which CandidateSource's ILIKE uses);
            // - the history reads customer_industry beside the scorecard's columns: with it included, the scorecard's index
            //   answers both as an index-only scan (the key and the other columns unchanged, so the scorecard's plan is too).
            migrationBuilder.Sql("""
                CREATE INDEX ix_leads_customer_domain ON leads.leads (lower(split_part(customer_email, '@', 2)));
                DROP INDEX leads.ix_leads_scorecard;
                CREATE INDEX ix_leads_scorecard ON leads.leads (partner_id, received_at)
                INCLUDE (status, type, respond_by, accepted_at, closed_at, decline_reason, outcome_lost_reason,
                         deal_estimated_value_currency, deal_estimated_value_amount, outcome_final_value_currency, outcome_final_value_amount,
                         customer_industry);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX leads.ix_leads_customer_domain;
                DROP INDEX leads.ix_leads_scorecard;
                CREATE INDEX ix_leads_scorecard ON leads.leads (partner_id, received_at)
                INCLUDE (status, type, respond_by, accepted_at, closed_at, decline_reason, outcome_lost_reason,
                         deal_estimated_value_currency, deal_estimated_value_amount, outcome_final_value_currency, outcome_final_value_amount);
                """);
        }
    }
}
