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

    private static string DefaultMessage(LeadAction attempted, LeadStatus status, IReadOnlyList<LeadAction> allowed) =>
        allowed.Count == 0
            ? $"Cannot {Names.Of(attempted)} a lead that is {Names.Of(status)}; it is archived and read-only."
            : $"Cannot {Names.Of(attempted)} a lead that is {Names.Of(status)}; allowed now: {string.Join(", ", allowed.Select(Names.Of))}.";
}

/// <summary>The lead was not answered before its respond-by time; it can no longer be acted on.</summary>
public sealed class LeadExpiredException(LeadAction attempted, DateTimeOffset respondBy)
    : InvalidLeadTransitionException(
        attempted,
        LeadStatus.Expired,
        [],
        $"Cannot {Names.Of(attempted)} the lead: it expired at {respondBy.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)} without an answer.")
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
