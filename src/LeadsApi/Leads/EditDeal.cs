using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>
/// A JSON merge patch (RFC 7396) of an accepted lead's deal: members you leave out stay as they are;
/// notes, crmId and campaignId can be cleared with null.
/// </summary>
public sealed class EditDealRequest : IValidatable, IMergePatch
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>A name for the deal; cannot be cleared.</summary>
    [Limit(nameof(FieldLimits.DealName))]
    public string? DealName { get; init { field = value; _present.Add(nameof(DealName)); } }

    /// <summary>What the deal is expected to be worth; cannot be cleared.</summary>
    [Limit(nameof(FieldLimits.Given))]
    public MoneyInput? EstimatedValue { get; init { field = value; _present.Add(nameof(EstimatedValue)); } }

    /// <summary>When the partner expects to close it; cannot be cleared.</summary>
    [Limit(nameof(FieldLimits.Given))]
    public DateOnly? EstimatedCloseDate { get; init { field = value; _present.Add(nameof(EstimatedCloseDate)); } }

    /// <summary>Anything the team should know; null clears it.</summary>
    [Limit(nameof(FieldLimits.Notes))]
    public string? Notes { get; init { field = value; _present.Add(nameof(Notes)); } }

    /// <summary>The deal's id in the partner's CRM; null clears it.</summary>
    [Limit(nameof(FieldLimits.CrmId))]
    public string? CrmId { get; init { field = value; _present.Add(nameof(CrmId)); } }

    /// <summary>The campaign to attribute the deal to; null clears it.</summary>
    [Limit(nameof(FieldLimits.CampaignId))]
    public string? CampaignId { get; init { field = value; _present.Add(nameof(CampaignId)); } }

    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Holds(nameof(DealName)))
        {
            errors.Text("dealName", DealName, FieldLimits.DealName);
        }

        if (Holds(nameof(EstimatedValue)) && errors.Given("estimatedValue", EstimatedValue, FieldLimits.Given))
        {
            EstimatedValue!.Validate(errors, "estimatedValue");
        }

        if (Holds(nameof(EstimatedCloseDate)))
        {
            errors.Given("estimatedCloseDate", EstimatedCloseDate, FieldLimits.Given);
        }

        errors.Text("notes", Notes, FieldLimits.Notes);
        errors.Text("crmId", CrmId, FieldLimits.CrmId);
        errors.Text("campaignId", CampaignId, FieldLimits.CampaignId);
    }

    public DealPatch ToPatch() => new(
        Holds(nameof(DealName)) ? DealName!.Trim() : default(Optional<string>),
        Holds(nameof(EstimatedValue)) ? EstimatedValue!.ToMoney() : default(Optional<Money>),
        Holds(nameof(EstimatedCloseDate)) ? EstimatedCloseDate!.Value : default(Optional<DateOnly>),
        Holds(nameof(Notes)) ? Notes : default(Optional<string?>),
        Holds(nameof(CrmId)) ? CrmId : default(Optional<string?>),
        Holds(nameof(CampaignId)) ? CampaignId : default(Optional<string?>));

    public bool Holds(string member) => _present.Contains(member);
}

public sealed record EditDeal(Caller Caller, Guid LeadId, EditDealRequest Body, string? IfMatch) : ICommand<LeadResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class EditDealHandler(LeadChanges changes) : ICommandHandler<EditDeal, LeadResponse>
{
    public ValueTask<LeadResponse> Handle(EditDeal command, CancellationToken cancellationToken) =>
        changes.ApplyAsync(command.Caller, command.LeadId, command.IfMatch,
            (lead, now) => lead.EditDeal(command.Body.ToPatch(), command.Caller.Actor, now), cancellationToken);
}
