using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The deal was won.</summary>
/// <param name="FinalValue">What the deal was signed for.</param>
/// <param name="ClosedOn">The day it was signed; not before the day the lead was accepted.</param>
/// <param name="Notes">Anything worth remembering.</param>
public sealed record MarkLeadWonRequest(
    [Limit(nameof(FieldLimits.Given))] MoneyInput? FinalValue,
    [Limit(nameof(FieldLimits.Given))] DateOnly? ClosedOn,
    [Limit(nameof(FieldLimits.Notes))] string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Given("finalValue", FinalValue, FieldLimits.Given))
        {
            FinalValue!.Validate(errors, "finalValue");
        }

        errors.Given("closedOn", ClosedOn, FieldLimits.Given);
        errors.Text("notes", Notes, FieldLimits.Notes);
    }
}

public sealed record MarkLeadWon(Caller Caller, Guid LeadId, MarkLeadWonRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class MarkLeadWonHandler(LeadChanges changes) : ICommandHandler<MarkLeadWon, LeadResponse>
{
    public ValueTask<LeadResponse> Handle(MarkLeadWon command, CancellationToken cancellationToken) =>
        changes.ApplyAsync(command.Caller, command.LeadId, command.IfMatch,
            (lead, now) => lead.MarkWon(command.Body.FinalValue!.ToMoney(), command.Body.ClosedOn!.Value, command.Body.Notes, command.Caller.Actor, now),
            cancellationToken);
}
