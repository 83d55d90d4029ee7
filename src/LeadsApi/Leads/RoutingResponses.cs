using System.Globalization;
using LeadsApi.Domain.Leads;
using LeadsApi.Matching;

namespace LeadsApi.Leads;

/// <summary>How a routed lead found its partner, as its sender sees it.</summary>
/// <param name="Mode">bestMatch: the service chose the partner that ranked first for the customer's request.</param>
/// <param name="Reroute">Whether a decline (other than duplicate) or an expiry hands the request on to the next partner.</param>
/// <param name="MaxHops">How many times the request may be handed on in all.</param>
/// <param name="Hop">0 for the first lead of the request, 1 for the lead it was handed on to first, and so on.</param>
/// <param name="End">noPartnerLeft when the request was to be handed on from this lead but no partner was left that could take it.</param>
public sealed record RoutingResponse(RoutingMode Mode, bool Reroute, int MaxHops, int Hop, RoutingEnd? End)
{
    public static RoutingResponse? From(LeadRouting? routing) =>
        routing is null ? null : new RoutingResponse(routing.Mode, routing.Reroute, routing.MaxHops, routing.Hop, routing.End);
}

/// <summary>Why this lead reached its partner: the partner's own score and rank, never another partner's.</summary>
/// <param name="At">When the service matched the request to the partner.</param>
/// <param name="Score">The partner's score in [0, 1].</param>
/// <param name="Rank">Its rank among the partners that could take the request (1: the best; a lead handed on goes to the best of those left).</param>
/// <param name="Candidates">How many partners could take the request then.</param>
/// <param name="Components">What made the score: profileFit, proximity, responsiveness, outcomeFit, capacity, each with its value, weight and a sentence.</param>
/// <param name="Reasons">The match in sentences: the rank, and whether the request came on from a partner before.</param>
public sealed record LeadMatchResponse(
    DateTimeOffset At, double Score, int Rank, int Candidates, IReadOnlyList<ScoreComponent> Components, IReadOnlyList<string> Reasons)
{
    public static LeadMatchResponse? From(LeadMatch? match, LeadRouting? routing)
    {
        if (match is null)
        {
            return null;
        }

        var reasons = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture,
                "Ranked {0} of the {1} partners that could take the customer's request, with a score of {2}.", match.Rank, match.Candidates, match.Score),
        };
        if (routing is { Hop: > 0 })
        {
            reasons.Add(string.Format(CultureInfo.InvariantCulture,
                "Handed on to this partner after the partner before declined the request or let it expire (hand-on {0} of at most {1}).", routing.Hop, routing.MaxHops));
        }

        return new LeadMatchResponse(match.At, match.Score, match.Rank, match.Candidates, ScoreComponent.From(match.Components), reasons);
    }
}
