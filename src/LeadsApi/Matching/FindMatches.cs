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
        var (result, considered) = await candidates.RankAsync(db, request, [], now, query.Body.Take, cancellationToken);
        return MatchesResponse.From(result, considered, options.Value.Weights, now, query.Body.Take);
    }
}
