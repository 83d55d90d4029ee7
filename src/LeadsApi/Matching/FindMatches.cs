using LeadsApi.Domain.Matching;
using LeadsApi.Leads;
using LeadsApi.Problems;
using Mediator;
using Microsoft.Extensions.Options;

namespace LeadsApi.Matching;

/// <summary>Ranks the partners for a customer request, with every score explained; stores nothing.</summary>
public sealed record FindMatches(FindMatchesRequest Body) : IQuery<MatchesResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class FindMatchesHandler(LeadsApi.Persistence.LeadsDbContext db, CandidateSource candidates, IOptions<MatchingOptions> options, TimeProvider time)
    : IQueryHandler<FindMatches, MatchesResponse>
{
    public async ValueTask<MatchesResponse> Handle(FindMatches query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var request = query.Body.ToCustomerRequest();
        var considered = await candidates.LoadAsync(db, request, [], now, cancellationToken);
        var weights = options.Value.Weights;
        var result = MatchScoring.Rank(request, considered, weights, now, query.Body.Take);
        return MatchesResponse.From(result, considered.Count, weights, now, query.Body.Take);
    }
}
