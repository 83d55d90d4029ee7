namespace LeadsApi.Domain.Leads;

/// <summary>A rule of the lead's life was broken; the message is safe to show a client.</summary>
public abstract class LeadRuleException(string message) : Exception(message);

/// <summary>The action is not allowed in the lead's current status.</summary>
public class InvalidLeadTransitionException(
    LeadAction attempted,
    LeadStatus currentStatus,
    IReadOnlyList<LeadAction> allowedActions,
    string? message = null)
    : LeadRuleException(message ?? DefaultMessage(attempted, currentStatus, allowedActions))
{
    public LeadAction Attempted { get; } = attempted;
    public LeadStatus CurrentStatus { get; } = currentStatus;
    public IReadOnlyList<LeadAction> AllowedActions { get; } = allowedActions;

    /// <summary>The action as a sentence's verb phrase: "Cannot add a team member: ...".</summary>
    public static string Describe(LeadAction action) => action switch
    {
        LeadAction.Accept => "accept the lead",
        LeadAction.Decline => "decline the lead",
        LeadAction.Edit => "edit the deal",
        LeadAction.AddTeamMember => "add a team member",
        LeadAction.RemoveTeamMember => "remove a team member",
        LeadAction.MarkWon => "mark the lead won",
        _ => "mark the lead lost",
    };

    private static string DefaultMessage(LeadAction attempted, LeadStatus status, IReadOnlyList<LeadAction> allowed) =>
        allowed.Count == 0
            ? $"Cannot {Describe(attempted)}: the lead is {Names.Of(status)}, archived and read-only."
            : $"Cannot {Describe(attempted)}: the lead is {Names.Of(status)}; allowed now: {string.Join(", ", allowed.Select(Names.Of))}.";
}

/// <summary>The lead was not answered before its respond-by time; it can no longer be acted on.</summary>
public sealed class LeadExpiredException(LeadAction attempted, DateTimeOffset respondBy)
    : InvalidLeadTransitionException(
        attempted,
        LeadStatus.Expired,
        [],
        $"Cannot {Describe(attempted)}: it expired at {respondBy.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)} without an answer.")
{
    public DateTimeOffset RespondBy { get; } = respondBy;
}

/// <summary>A value breaks a business rule; <see cref="Field"/> names the request member at fault.</summary>
public sealed class LeadValidationException(string field, string message) : LeadRuleException(message)
{
    public string Field { get; } = field;
}

/// <summary>The lead has no team member with that id.</summary>
public sealed class TeamMemberNotFoundException(Guid memberId)
    : LeadRuleException($"The lead has no team member with id {memberId}.")
{
    public Guid MemberId { get; } = memberId;
}
