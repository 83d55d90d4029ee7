using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The deal the partner commits to when it accepts a lead.</summary>
/// <param name="DealName">A name for the deal.</param>
/// <param name="EstimatedValue">What the deal is expected to be worth.</param>
/// <param name="EstimatedCloseDate">When the partner expects to close it.</param>
/// <param name="Notes">Anything the team should know.</param>
/// <param name="CrmId">The deal's id in the partner's CRM.</param>
/// <param name="CampaignId">The campaign to attribute the deal to; defaults to the lead's.</param>
/// <param name="Contacts">The partner's people on the deal; they become its team.</param>
public sealed record AcceptLeadRequest(
    [Limit(nameof(FieldLimits.DealName))] string? DealName,
    [Limit(nameof(FieldLimits.Given))] MoneyInput? EstimatedValue,
    [Limit(nameof(FieldLimits.Given))] DateOnly? EstimatedCloseDate,
    [Limit(nameof(FieldLimits.Notes))] string? Notes,
    [Limit(nameof(FieldLimits.CrmId))] string? CrmId,
    [Limit(nameof(FieldLimits.CampaignId))] string? CampaignId,
    [Limit(nameof(FieldLimits.Contacts))] IReadOnlyList<TeamMemberInput>? Contacts) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Text("dealName", DealName, FieldLimits.DealName);
        if (errors.Given("estimatedValue", EstimatedValue, FieldLimits.Given))
        {
            EstimatedValue!.Validate(errors, "estimatedValue");
        }

        errors.Given("estimatedCloseDate", EstimatedCloseDate, FieldLimits.Given);
        errors.Text("notes", Notes, FieldLimits.Notes);
        errors.Text("crmId", CrmId, FieldLimits.CrmId);
        errors.Text("campaignId", CampaignId, FieldLimits.CampaignId);
        errors.Count("contacts", Contacts, FieldLimits.Contacts);
        for (var i = 0; i < (Contacts?.Count ?? 0); i++)
        {
            if (errors.Item($"contacts[{i}]", Contacts![i]))
            {
                Contacts[i].Validate(errors, $"contacts[{i}].");
            }
        }
    }

    public Acceptance ToAcceptance() => new(
        DealName!.Trim(),
        EstimatedValue!.ToMoney(),
        EstimatedCloseDate!.Value,
        Notes,
        CrmId,
        CampaignId,
        [.. (Contacts ?? []).Select(c => c.ToNewTeamMember())]);
}

public sealed record AcceptLead(Caller Caller, Guid LeadId, AcceptLeadRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class AcceptLeadHandler(LeadChanges changes) : ICommandHandler<AcceptLead, LeadResponse>
{
    public ValueTask<LeadResponse> Handle(AcceptLead command, CancellationToken cancellationToken) =>
        changes.ApplyAsync(command.Caller, command.LeadId, command.IfMatch,
            (lead, now) => lead.Accept(command.Body.ToAcceptance(), command.Caller.Actor, now), cancellationToken);
}
