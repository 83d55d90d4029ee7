using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadsApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ScorecardIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The scorecard (GetScorecardHandler) reads one partner's leads by received_at and only these columns: with them
            // included, its aggregates are an index-only range scan of that partner's window (docs/query-plans.md). SQL,
            // since EF Core declares no index over a complex property's columns (dotnet/efcore#31246).
            migrationBuilder.Sql("""
                CREATE INDEX ix_leads_scorecard ON leads.leads (partner_id, received_at)
                INCLUDE (status, type, respond_by, accepted_at, closed_at, decline_reason, outcome_lost_reason,
                         deal_estimated_value_currency, deal_estimated_value_amount, outcome_final_value_currency, outcome_final_value_amount);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX leads.ix_leads_scorecard;");
        }
    }
}
