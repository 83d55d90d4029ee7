using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.Extensions.Options;

namespace LeadsApi.Leads;

/// <summary>A sender lists the leads it sent, with the same filters and paging as a partner's list.</summary>
/// <param name="Caller">The sender.</param>
/// <param name="Parameters">The query string, as bound.</param>
/// <param name="Unknown">Query parameters the call does not have.</param>
public sealed record ListSentLeads(Caller Caller, ListLeadsParameters Parameters, IReadOnlyList<string> Unknown) : IQuery<SenderLeadPage>, IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Parameters.Validate(errors, Unknown);
        // The deal's value is the partner's: the order would rank the deals for a sender, and each cursor would carry an amount.
        if (LeadSort.Parse(Parameters.Sort ?? LeadSort.Default.Name) is { Key: LeadSort.EstimatedValueKey })
        {
            errors.Add("sort", $"{LeadSort.EstimatedValueKey} is the partner's deal value, which a sender does not see; sort by receivedAt, respondBy or updatedAt.");
        }
    }
}

public sealed class ListSentLeadsHandler(LeadsDbContext db, TimeProvider time, IOptions<LeadsOptions> options, LeadPresenter presenter)
    : IQueryHandler<ListSentLeads, SenderLeadPage>
{
    public async ValueTask<SenderLeadPage> Handle(ListSentLeads query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var (leads, nextLink) = await db.FindPageAsync(query.Caller, query.Parameters, now, options.Value.HotWindow, cancellationToken);
        return new SenderLeadPage(presenter.PresentToSender(leads, now), nextLink);
    }
}
