using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsApi.Leads;

/// <summary>A lead a sender hands to a partner.</summary>
/// <param name="PartnerId">The partner that receives the lead.</param>
/// <param name="Type">customerInquiry, marketingQualified or salesQualified.</param>
/// <param name="Customer">Who the customer is.</param>
/// <param name="Need">What the customer needs, in their words.</param>
/// <param name="ContactRequested">True when the customer asked this partner to call; makes the lead hot.</param>
/// <param name="CampaignId">The campaign the lead came from.</param>
/// <param name="ExternalId">Your own id for the lead. Sending the same one again returns the lead created the first time.</param>
public sealed record CreateLeadRequest(
    [Limit(nameof(FieldLimits.Given))] Guid? PartnerId,
    [Limit(nameof(FieldLimits.Given))] LeadType? Type,
    [Limit(nameof(FieldLimits.Given))] CustomerInput? Customer,
    [Limit(nameof(FieldLimits.Need))] string? Need,
    bool? ContactRequested,
    [Limit(nameof(FieldLimits.CampaignId))] string? CampaignId,
    [Limit(nameof(FieldLimits.ExternalId))] string? ExternalId) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Given("partnerId", PartnerId, FieldLimits.Given);
        errors.Given("type", Type, FieldLimits.Given);
        if (errors.Given("customer", Customer, FieldLimits.Given))
        {
            Customer!.Validate(errors);
        }

        errors.Text("need", Need, FieldLimits.Need);
        errors.Text("campaignId", CampaignId, FieldLimits.CampaignId);
        errors.Text("externalId", ExternalId, FieldLimits.ExternalId);
    }
}

/// <summary>The created lead as its sender sees it, and whether this call created it or found it by its externalId.</summary>
public sealed record CreatedLead(SenderLeadResponse Lead, bool Created);

public sealed record CreateLead(Caller Caller, CreateLeadRequest Body) : ICommand<CreatedLead>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class CreateLeadHandler(LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, LeadPresenter presenter)
    : ICommandHandler<CreateLead, CreatedLead>
{
    public async ValueTask<CreatedLead> Handle(CreateLead command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var partnerId = body.PartnerId!.Value;
        var sender = await db.Senders.AsNoTracking().FirstAsync(s => s.Id == command.Caller.SenderId, cancellationToken);
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw RequestValidationException.For("partnerId", "No partner with this id.");
        }

        var now = time.GetUtcNowMicroseconds();
        if (await FindSentAsync(partnerId, sender.Id, body.ExternalId, cancellationToken) is { } existing)
        {
            return new CreatedLead(presenter.PresentToSender(existing, now), Created: false);
        }

        var lead = Lead.Receive(
            new NewLead(
                partnerId,
                body.Type!.Value,
                new SenderRef(sender.Kind, sender.Id, sender.Name),
                body.Customer!.ToCustomer(),
                body.Need!.Trim(),
                body.ContactRequested ?? false,
                body.CampaignId,
                body.ExternalId),
            options.Value.Windows,
            command.Caller.Actor,
            now);
        db.Leads.Add(lead);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry with the same externalId won the insert; answer with its lead.
            db.ChangeTracker.Clear();
            existing = await FindSentAsync(partnerId, sender.Id, body.ExternalId, cancellationToken);
            return new CreatedLead(presenter.PresentToSender(existing!, now), Created: false);
        }

        return new CreatedLead(presenter.PresentToSender(lead, now), Created: true);
    }

    private async Task<Lead?> FindSentAsync(Guid partnerId, Guid senderId, string? externalId, CancellationToken cancellationToken) =>
        externalId is null
            ? null
            : await db.Leads.AsNoTracking().FirstOrDefaultAsync(
                l => l.PartnerId == partnerId && l.Sender.Id == senderId && l.ExternalId == externalId, cancellationToken);
}
