using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Domain.Matching;
using LeadsApi.Limits;
using LeadsApi.Matching;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsApi.Leads;

/// <summary>A lead a sender hands to a partner, or to the partner the service matches it to.</summary>
/// <param name="PartnerId">The partner that receives the lead; leave it out when `routing` chooses the partner.</param>
/// <param name="Type">customerInquiry, marketingQualified or salesQualified.</param>
/// <param name="Customer">Who the customer is.</param>
/// <param name="Need">What the customer needs, in their words.</param>
/// <param name="ContactRequested">True when the customer asked this partner to call; makes the lead hot.</param>
/// <param name="CampaignId">The campaign the lead came from.</param>
/// <param name="ExternalId">Your own id for the lead. Sending the same one again returns the lead created the first time.</param>
/// <param name="Routing">Instead of a partnerId: let the service hand the lead to the partner that best matches the customer's request (customer.country required), and optionally hand it on when that partner declines or lets it expire.</param>
public sealed record CreateLeadRequest(
    [Limit(nameof(FieldLimits.PartnerOrRouting))] Guid? PartnerId,
    [Limit(nameof(FieldLimits.Given))] LeadType? Type,
    [Limit(nameof(FieldLimits.Given))] CustomerInput? Customer,
    [Limit(nameof(FieldLimits.Need))] string? Need,
    bool? ContactRequested,
    [Limit(nameof(FieldLimits.CampaignId))] string? CampaignId,
    [Limit(nameof(FieldLimits.ExternalId))] string? ExternalId,
    RoutingInput? Routing = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Either("partnerId", PartnerId, Routing is not null, FieldLimits.PartnerOrRouting);
        if (Routing is not null)
        {
            Routing.Validate(errors, "routing.");
            if (Customer is not null && Customer.Country is null)
            {
                errors.Add("customer.country", "Required with routing: matching cannot do without the customer's country.");
            }
        }

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

public sealed class CreateLeadHandler(
    LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, LeadPresenter presenter,
    CandidateSource candidates)
    : ICommandHandler<CreateLead, CreatedLead>
{
    public async ValueTask<CreatedLead> Handle(CreateLead command, CancellationToken cancellationToken)
    {
        if (command.Body.Routing is not null)
        {
            return await CreateRoutedAsync(command, cancellationToken);
        }

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

    /// <summary>
    /// Matches the request now and hands the lead to the partner that ranks first, with the match stored on the lead. The
    /// sender and externalId are locked for the transaction, so concurrent retries of one routed lead create it once
    /// (a routed lead's externalId is the sender's across partners: its next leads carry it too).
    /// </summary>
    private async Task<CreatedLead> CreateRoutedAsync(CreateLead command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var sender = await db.Senders.AsNoTracking().FirstAsync(s => s.Id == command.Caller.SenderId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (body.ExternalId is { } externalId)
        {
            var key = $"routed-lead:{sender.Id}:{externalId}";
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
        }

        var now = time.GetUtcNowMicroseconds();
        if (body.ExternalId is not null)
        {
            var existing = await db.Leads.AsNoTracking().FirstOrDefaultAsync(
                l => l.Sender.Id == sender.Id && l.ExternalId == body.ExternalId && l.Routing != null && l.PreviousLeadId == null, cancellationToken);
            if (existing is not null)
            {
                return new CreatedLead(presenter.PresentToSender(existing, now), Created: false);
            }
        }

        var customer = body.Customer!.ToCustomer();
        var need = body.Need!.Trim();
        var criteria = body.Routing!.ToCriteria();
        var request = LeadRouting.Request(body.Type!.Value, need, customer, criteria);
        var (result, considered) = await candidates.RankAsync(db, request, [], now, limit: 1, cancellationToken);
        if (result.Ranked.Count == 0)
        {
            throw new NoMatchingPartnerException(considered, result.Excluded.Count);
        }

        var chosen = result.Ranked[0];
        var lead = Lead.Receive(
            new NewLead(
                chosen.PartnerId,
                body.Type!.Value,
                new SenderRef(sender.Kind, sender.Id, sender.Name),
                customer,
                need,
                body.ContactRequested ?? false,
                body.CampaignId,
                body.ExternalId,
                body.Routing.ToRouting(chosen.PartnerId),
                LeadMatch.From(chosen, result.RankedCount, now)),
            options.Value.Windows,
            command.Caller.Actor,
            now);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedLead(presenter.PresentToSender(lead, now), Created: true);
    }

    private async Task<Lead?> FindSentAsync(Guid partnerId, Guid senderId, string? externalId, CancellationToken cancellationToken) =>
        externalId is null
            ? null
            : await db.Leads.AsNoTracking().FirstOrDefaultAsync(
                l => l.PartnerId == partnerId && l.Sender.Id == senderId && l.ExternalId == externalId, cancellationToken);
}
