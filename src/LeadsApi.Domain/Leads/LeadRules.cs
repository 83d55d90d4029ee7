using System.Linq.Expressions;

namespace LeadsApi.Domain.Leads;

/// <summary>
/// The lead's rules that depend on the time, as expressions a query provider translates: the list filters, the
/// summary and the expiry sweep query with these, and <see cref="Lead"/> answers with the same expressions compiled,
/// so a query and an object read the same rule.
/// </summary>
public static class LeadRules
{
    // A received lead past its respond-by time is expired for every reader, whether or not the sweep has written it.
    private static readonly Expression<Func<Lead, DateTimeOffset, bool>> PastRespondBy =
        (lead, now) => lead.Status == LeadStatus.Received && lead.RespondBy <= now;

    // Its complement among received leads, written out rather than negated so that (status, respond_by) indexes serve it.
    private static readonly Expression<Func<Lead, DateTimeOffset, bool>> AwaitingAnswer =
        (lead, now) => lead.Status == LeadStatus.Received && lead.RespondBy > now;

    // Received after a moment; hot is "received after now minus the hot window", which a received_at index serves.
    private static readonly Expression<Func<Lead, DateTimeOffset, bool>> ReceivedAfter =
        (lead, since) => lead.ReceivedAt > since;

    private static readonly Func<Lead, DateTimeOffset, bool> IsPastRespondByCompiled = PastRespondBy.Compile();
    private static readonly Func<Lead, DateTimeOffset, bool> IsReceivedAfterCompiled = ReceivedAfter.Compile();

    /// <summary>Received leads whose respond-by time has come: what the expiry sweep writes down.</summary>
    public static Expression<Func<Lead, bool>> IsDueForExpiry(DateTimeOffset now) => PastRespondBy.Bind(now);

    /// <summary>Leads whose status, as every reader sees it at <paramref name="now"/>, is <paramref name="status"/>.</summary>
    public static Expression<Func<Lead, bool>> HasStatusAt(LeadStatus status, DateTimeOffset now) => status switch
    {
        LeadStatus.Received => AwaitingAnswer.Bind(now),
        LeadStatus.Expired => HasRecordedStatus(LeadStatus.Expired).Or(PastRespondBy.Bind(now)),
        _ => HasRecordedStatus(status),
    };

    /// <summary>Leads in <paramref name="stage"/> at <paramref name="now"/>: those with a status of that stage.</summary>
    public static Expression<Func<Lead, bool>> InStageAt(LeadStage stage, DateTimeOffset now) =>
        AnyStatusAt(status => status.Stage() == stage, now);

    /// <summary>The stage at <paramref name="now"/> as one expression, for grouping and counting.</summary>
    public static Expression<Func<Lead, LeadStage>> StageAt(DateTimeOffset now) =>
        PredicateComposition.FirstMatch(
            Enum.GetValues<LeadStage>().Where(s => s != LeadStage.Archived).Select(s => (InStageAt(s, now), s)),
            LeadStage.Archived);

    /// <summary>Leads whose customer asked for contact less than <paramref name="hotWindow"/> ago, and that are not archived.</summary>
    public static Expression<Func<Lead, bool>> IsHotAt(DateTimeOffset now, TimeSpan hotWindow)
    {
        Expression<Func<Lead, bool>> contactRequested = lead => lead.ContactRequested;
        return contactRequested.And(ReceivedAfter.Bind(now - hotWindow)).And(AnyStatusAt(status => !status.IsArchived(), now));
    }

    internal static bool IsPastRespondBy(Lead lead, DateTimeOffset now) => IsPastRespondByCompiled(lead, now);

    internal static bool IsWithinHotWindow(Lead lead, DateTimeOffset now, TimeSpan hotWindow) => IsReceivedAfterCompiled(lead, now - hotWindow);

    private static Expression<Func<Lead, bool>> HasRecordedStatus(LeadStatus status) => lead => lead.Status == status;

    // The stage of a status is LeadStatusExtensions.Stage alone; the stage filters are built from it, not restated.
    private static Expression<Func<Lead, bool>> AnyStatusAt(Func<LeadStatus, bool> statuses, DateTimeOffset now) =>
        Enum.GetValues<LeadStatus>().Where(statuses).Select(status => HasStatusAt(status, now)).Aggregate((a, b) => a.Or(b));
}
