using System.ComponentModel.DataAnnotations;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The deal was won.</summary>
/// <param name="FinalValue">What the deal was signed for.</param>
/// <param name="ClosedOn">The day it was signed; not before the day the lead was accepted.</param>
/// <param name="Notes">Anything worth remembering.</param>
public sealed record MarkLeadWonRequest([Required] MoneyInput? FinalValue, [Required] DateOnly? ClosedOn, string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Required("finalValue", FinalValue))
        {
            FinalValue!.Validate(errors, "finalValue");
        }

        errors.Required("closedOn", ClosedOn);
        errors.MaxLength("notes", Notes, Limits.LongText);
    }
}

public sealed record MarkLeadWon(Caller Caller, Guid LeadId, MarkLeadWonRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class MarkLeadWonHandler(LeadsDbContext db, TimeProvider time, LeadPresenter presenter) : ICommandHandler<MarkLeadWon, LeadResponse>
{
    public async ValueTask<LeadResponse> Handle(MarkLeadWon command, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.GetForUpdateAsync(command.Caller, command.LeadId, command.IfMatch, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        var body = command.Body;
        lead.MarkWon(body.FinalValue!.ToMoney(), body.ClosedOn!.Value, body.Notes, command.Caller.Actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return await presenter.PresentAsync(lead, command.Caller, now, cancellationToken);
    }
}
