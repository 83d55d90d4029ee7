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
        var byView = await CountAsync(visible, now, cancellationToken);
        var favorites = await CountAsync(visible.StarredBy(query.Caller, db.Favorites), now, cancellationToken);
        return new LeadSummary(
            Counts(byView, marketplace: true),
            Counts(byView, marketplace: false),
            new StageCounts(
                favorites.Where(c => c.Stage == LeadStage.Received).Sum(c => c.Count),
                favorites.Where(c => c.Stage == LeadStage.Accepted).Sum(c => c.Count),
                favorites.Where(c => c.Stage == LeadStage.Archived).Sum(c => c.Count)));
    }

    private static StageCounts Counts(List<StageCount> counts, bool marketplace)
    {
        int Of(LeadStage stage) => counts.Where(c => c.Marketplace == marketplace && c.Stage == stage).Sum(c => c.Count);
        return new StageCounts(Of(LeadStage.Received), Of(LeadStage.Accepted), Of(LeadStage.Archived));
    }

    private static Task<List<StageCount>> CountAsync(IQueryable<Lead> leads, DateTimeOffset now, CancellationToken cancellationToken) =>
        leads
            .GroupBy(l => new
            {
                Marketplace = l.Type == LeadType.CustomerInquiry,
                Stage = l.Status == LeadStatus.Accepted ? LeadStage.Accepted
                    : l.Status == LeadStatus.Received && l.RespondBy > now ? LeadStage.Received
                    : LeadStage.Archived,
            })
            .Select(g => new StageCount(g.Key.Marketplace, g.Key.Stage, g.Count()))
            .ToListAsync(cancellationToken);

    private sealed record StageCount(bool Marketplace, LeadStage Stage, int Count);
}
