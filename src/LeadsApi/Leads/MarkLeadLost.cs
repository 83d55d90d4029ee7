using System.ComponentModel.DataAnnotations;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The deal was lost.</summary>
/// <param name="Reason">competitor, noBudget, noDecision, customerUnresponsive or other.</param>
/// <param name="Notes">Required when the reason is other.</param>
public sealed record MarkLeadLostRequest([Required] LostReason? Reason, string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("reason", Reason);
        errors.MaxLength("notes", Notes, Limits.LongText);
    }
}

public sealed record MarkLeadLost(Caller Caller, Guid LeadId, MarkLeadLostRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class MarkLeadLostHandler(LeadsDbContext db, TimeProvider time, LeadPresenter presenter) : ICommandHandler<MarkLeadLost, LeadResponse>
{
    public async ValueTask<LeadResponse> Handle(MarkLeadLost command, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.GetForUpdateAsync(command.Caller, command.LeadId, command.IfMatch, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        lead.MarkLost(command.Body.Reason!.Value, command.Body.Notes, command.Caller.Actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return await presenter.PresentAsync(lead, command.Caller, now, cancellationToken);
    }
}
