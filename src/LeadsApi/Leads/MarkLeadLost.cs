using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The deal was lost.</summary>
/// <param name="Reason">competitor, noBudget, noDecision, customerUnresponsive or other.</param>
/// <param name="Notes">Required when the reason is other.</param>
public sealed record MarkLeadLostRequest([Limit(nameof(FieldLimits.Given))] LostReason? Reason, [Limit(nameof(FieldLimits.Notes))] string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Given("reason", Reason, FieldLimits.Given);
        errors.Text("notes", Notes, FieldLimits.Notes);
    }
}

public sealed record MarkLeadLost(Caller Caller, Guid LeadId, MarkLeadLostRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class MarkLeadLostHandler(LeadChanges changes) : ICommandHandler<MarkLeadLost, LeadResponse>
{
    public ValueTask<LeadResponse> Handle(MarkLeadLost command, CancellationToken cancellationToken) =>
        changes.ApplyAsync(command.Caller, command.LeadId, command.IfMatch,
            (lead, now) => lead.MarkLost(command.Body.Reason!.Value, command.Body.Notes, command.Caller.Actor, now), cancellationToken);
}
