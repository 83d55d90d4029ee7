using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Hosting;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Matching;

/// <summary>
/// Hands the request of each routed lead that is due (<see cref="Lead.IsDueForRerouting"/>: re-routing asked for, declined
/// but not as a duplicate, or expired, hops left) on to the best partner that has not had it yet, as a new received lead
/// linked both ways, or ends its routing when no partner is left. The due state lives in the lead's row, written with the
/// decline or the expiry, so nothing is lost between a decline and this pass: a crash or a failed pass leaves the lead
/// due for the next one. Each lead is its own transaction, claimed with FOR UPDATE SKIP LOCKED, so instances share the
/// work and never hand one request on twice.
/// </summary>
public sealed partial class RerouteWorker(
    BackgroundDatabase database, CandidateSource candidates, TimeProvider time, IOptions<MatchingOptions> matching,
    IOptions<LeadsOptions> leads, ILogger<RerouteWorker> logger)
    : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => matching.Value.RerouteInterval;

    protected override string WhatItDid => "routed leads handed on or ended";

    /// <summary>Hands on every lead due; one that fails is logged and left due for the next pass, the others go on.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        var failed = new List<Guid>();
        while (true)
        {
            Guid? claimed = null;
            try
            {
                claimed = await HandOnOneAsync(failed, id => claimed = id, cancellationToken);
                if (claimed is null)
                {
                    return done;
                }

                done++;
            }
            catch (Exception e) when (e is not OperationCanceledException && claimed is { } id)
            {
                LogHandOnFailed(e, id);
                failed.Add(id);
            }
        }
    }

    /// <summary>Hands on the oldest due lead not in <paramref name="skip"/>; null when none is due.</summary>
    private async Task<Guid?> HandOnOneAsync(List<Guid> skip, Action<Guid> claiming, CancellationToken cancellationToken)
    {
        var skipped = skip.ToArray();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The filter is ix_leads_reroute_due's (migration Routing), which restates Lead.IsDueForRerouting over the JSON.
        var claimed = await db.Database.SqlQuery<LeadKey>($"""
            SELECT partner_id, id FROM leads.leads
            WHERE next_lead_id IS NULL AND (routing->>'reroute')::boolean AND routing->>'end' IS NULL
              AND (routing->>'hop')::int < (routing->>'maxHops')::int
              AND (status = 'expired' OR (status = 'declined' AND decline_reason <> 'duplicate'))
              AND NOT (id = ANY({skipped}::uuid[]))
            ORDER BY updated_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return null;
        }

        var key = claimed[0];
        claiming(key.Id);
        var lead = await db.Leads.SingleAsync(l => l.PartnerId == key.PartnerId && l.Id == key.Id, cancellationToken);
        if (!lead.IsDueForRerouting)
        {
            throw new InvalidOperationException($"Lead {lead.Id} matched the re-routing claim but is not due: the claim's SQL and Lead.IsDueForRerouting differ.");
        }

        var now = Time.GetUtcNowMicroseconds();
        var routing = lead.Routing!;
        var request = LeadRouting.Request(lead.Type, lead.Need, lead.Customer, routing.Criteria);
        var (result, _) = await candidates.RankAsync(db, request, routing.Partners, now, limit: 1, cancellationToken);
        if (result.Ranked.Count == 0)
        {
            lead.EndRouting(RoutingEnd.NoPartnerLeft, now);
        }
        else
        {
            var chosen = result.Ranked[0];
            db.Leads.Add(lead.HandOn(chosen.PartnerId, LeadMatch.From(chosen, result.RankedCount, now), leads.Value.Windows, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return key.Id;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handing on routed lead {LeadId} failed; it stays due for the next pass")]
    private partial void LogHandOnFailed(Exception exception, Guid leadId);

    private sealed record LeadKey(Guid PartnerId, Guid Id);
}
