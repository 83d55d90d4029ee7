using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>
/// The table of ARCHITECTURE.md ("The state machine"), written out again here rather than read from
/// the domain, so the domain is checked against the design and not against itself.
/// </summary>
internal static class StateTable
{
    // The allowed pairs; every other (state, action) pair is a 409. Expire is the system's and tested apart.
    private static readonly (LeadAction Action, LeadState From, LeadStatus To, LeadChangeKind Kind)[] Transitions =
    [
        (LeadAction.Accept, LeadState.Received, LeadStatus.Accepted, LeadChangeKind.Accepted),
        (LeadAction.Decline, LeadState.Received, LeadStatus.Declined, LeadChangeKind.Declined),
        (LeadAction.Edit, LeadState.Accepted, LeadStatus.Accepted, LeadChangeKind.DealEdited),
        (LeadAction.AddTeamMember, LeadState.Accepted, LeadStatus.Accepted, LeadChangeKind.TeamMemberAdded),
        (LeadAction.RemoveTeamMember, LeadState.Accepted, LeadStatus.Accepted, LeadChangeKind.TeamMemberRemoved),
        (LeadAction.MarkWon, LeadState.Accepted, LeadStatus.Won, LeadChangeKind.Won),
        (LeadAction.MarkLost, LeadState.Accepted, LeadStatus.Lost, LeadChangeKind.Lost),
    ];

    private static readonly LeadState[] ExpiredStates = [LeadState.Expired, LeadState.ExpiredNotYetWritten];

    /// <summary>The allowed actions of a state, in the order of the <c>allowedActions</c> vocabulary.</summary>
    public static LeadAction[] Allowed(LeadState state) =>
        [.. Transitions.Where(t => t.From == state).Select(t => t.Action).Order()];

    /// <summary>The status every reader sees in a state.</summary>
    public static LeadStatus Status(LeadState state) => state switch
    {
        LeadState.Received => LeadStatus.Received,
        LeadState.Accepted => LeadStatus.Accepted,
        LeadState.Won => LeadStatus.Won,
        LeadState.Lost => LeadStatus.Lost,
        LeadState.Declined => LeadStatus.Declined,
        LeadState.Expired or LeadState.ExpiredNotYetWritten => LeadStatus.Expired,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static LeadStage Stage(LeadStatus status) => status switch
    {
        LeadStatus.Received => LeadStage.Received,
        LeadStatus.Accepted => LeadStage.Accepted,
        _ => LeadStage.Archived,
    };

    public static TheoryData<LeadAction, LeadState, LeadStatus, LeadChangeKind> AllowedPairs
    {
        get
        {
            var data = new TheoryData<LeadAction, LeadState, LeadStatus, LeadChangeKind>();
            foreach (var (action, from, to, kind) in Transitions)
            {
                data.Add(action, from, to, kind);
            }

            return data;
        }
    }

    /// <summary>Pairs refused because of the status, on leads that are not expired.</summary>
    public static TheoryData<LeadAction, LeadState> RefusedPairs
    {
        get
        {
            var data = new TheoryData<LeadAction, LeadState>();
            foreach (var state in Enum.GetValues<LeadState>().Except(ExpiredStates))
            {
                foreach (var action in Enum.GetValues<LeadAction>().Except(Allowed(state)))
                {
                    data.Add(action, state);
                }
            }

            return data;
        }
    }

    /// <summary>Every action on an expired lead, whether or not the expiry has been written.</summary>
    public static TheoryData<LeadAction, LeadState> ExpiredPairs
    {
        get
        {
            var data = new TheoryData<LeadAction, LeadState>();
            foreach (var state in ExpiredStates)
            {
                foreach (var action in Enum.GetValues<LeadAction>())
                {
                    data.Add(action, state);
                }
            }

            return data;
        }
    }

    public static TheoryData<LeadState> States => [.. Enum.GetValues<LeadState>()];
}
