using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>How many leads one view holds in each stage.</summary>
public sealed record StageCounts(int Received, int Accepted, int Archived)
{
    public static readonly StageCounts None = new(0, 0, 0);
}

/// <summary>The counts behind the tabs of a partner's Leads screen; expired leads count as archived at once.</summary>
public sealed record LeadSummary(StageCounts Marketplace, StageCounts Qualified, StageCounts Favorites);

public sealed record GetLeadSummary(Caller Caller) : IQuery<LeadSummary>;

public sealed class GetLeadSummaryHandler(LeadsDbContext db, TimeProvider time) : IQueryHandler<GetLeadSummary, LeadSummary>
{
    public async ValueTask<LeadSummary> Handle(GetLeadSummary query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var visible = db.Leads.AsNoTracking().VisibleTo(query.Caller);
        var byStage = await CountAsync(visible, now, cancellationToken);
        var favorites = await CountAsync(visible.StarredBy(query.Caller, db.Favorites), now, cancellationToken);
        return new LeadSummary(
            Counts(byStage, c => c.Marketplace),
            Counts(byStage, c => c.Qualified),
            Counts(favorites, c => c.Marketplace + c.Qualified));
    }

    private static StageCounts Counts(List<StageCount> counts, Func<StageCount, int> inView)
    {
        int Of(LeadStage stage) => counts.Where(c => c.Stage == stage).Sum(inView);
        return new StageCounts(Of(LeadStage.Received), Of(LeadStage.Accepted), Of(LeadStage.Archived));
    }

    private static Task<List<StageCount>> CountAsync(IQueryable<Lead> leads, DateTimeOffset now, CancellationToken cancellationToken) =>
        leads
            .GroupBy(LeadRules.StageAt(now))
            .Select(g => new StageCount(g.Key, g.Count(l => l.Type == LeadType.CustomerInquiry), g.Count(l => l.Type != LeadType.CustomerInquiry)))
            .ToListAsync(cancellationToken);

    private sealed record StageCount(LeadStage Stage, int Marketplace, int Qualified);
}
