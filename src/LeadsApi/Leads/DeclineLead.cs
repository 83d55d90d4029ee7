using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>Why the partner turns a lead down. The customer is told to pick another partner.</summary>
/// <param name="Reason">notAFit, insufficientInformation, customerUnreachable, duplicate, outsideServiceArea or other.</param>
/// <param name="Notes">Required when the reason is other.</param>
public sealed record DeclineLeadRequest([Limit(nameof(FieldLimits.Given))] DeclineReason? Reason, [Limit(nameof(FieldLimits.Notes))] string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Given("reason", Reason, FieldLimits.Given);
        errors.Text("notes", Notes, FieldLimits.Notes);
    }
}

public sealed record DeclineLead(Caller Caller, Guid LeadId, DeclineLeadRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class DeclineLeadHandler(LeadChanges changes) : ICommandHandler<DeclineLead, LeadResponse>
{
    public ValueTask<LeadResponse> Handle(DeclineLead command, CancellationToken cancellationToken) =>
        changes.ApplyAsync(command.Caller, command.LeadId, command.IfMatch,
            (lead, now) => lead.DeclineWith(command.Body.Reason!.Value, command.Body.Notes, command.Caller.Actor, now), cancellationToken);
}
