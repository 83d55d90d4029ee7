using LeadsApi.Domain.Matching;

namespace LeadsApi.Domain.Leads;

/// <summary>How a lead found its partner: the only mode is the best match for the customer's request.</summary>
public enum RoutingMode
{
    BestMatch,
}

/// <summary>Why a routed lead that qualified for re-routing has no next lead.</summary>
public enum RoutingEnd
{
    /// <summary>Every partner that could take the request has had it, or none is left that can.</summary>
    NoPartnerLeft,
}

/// <summary>What matching reads of a customer's request beyond the lead itself (its type, need and customer).</summary>
public sealed record RoutingCriteria(
    IReadOnlyList<string> Keywords,
    string? BusinessModel,
    string? Region,
    string? City,
    GeoPoint? Coordinates,
    string? Language);

/// <summary>
/// A lead the service handed to the best-matching partner, and whether it hands the same request on when that partner
/// declines (for any reason but <see cref="DeclineReason.Duplicate"/>) or lets it expire, at most <see cref="MaxHops"/>
/// times. Every lead of one request carries the same routing, each with its own <see cref="Hop"/> (0 for the first).
/// </summary>
public sealed record LeadRouting(
    RoutingMode Mode,
    bool Reroute,
    int MaxHops,
    int Hop,
    RoutingCriteria Criteria,
    IReadOnlyList<Guid> Partners,
    RoutingEnd? End = null)
{
    /// <summary>The re-routings a request may make when the sender names none.</summary>
    public const int DefaultMaxHops = 3;

    /// <summary>Whether the lead, as it is at <paramref name="status"/> with <paramref name="decline"/>, hands its request on.</summary>
    public bool HandsOn(LeadStatus status, DeclineAnswer? decline) =>
        Reroute && End is null && Hop < MaxHops
        && (status == LeadStatus.Expired || (status == LeadStatus.Declined && decline?.Reason != DeclineReason.Duplicate));

    /// <summary>The routing of the next lead of the request, handed to <paramref name="partnerId"/>.</summary>
    public LeadRouting Next(Guid partnerId) => this with { Hop = Hop + 1, Partners = [.. Partners, partnerId], End = null };

    /// <summary>The customer request this routing matches, built from the lead's own type, need and customer.</summary>
    public static CustomerRequest Request(LeadType type, string need, Customer customer, RoutingCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(criteria);
        return new CustomerRequest
        {
            LeadType = type,
            Need = need,
            Keywords = criteria.Keywords,
            Industry = customer.Industry,
            CompanySize = customer.CompanySize,
            BusinessModel = criteria.BusinessModel,
            Country = customer.Country ?? throw new ArgumentException("A routed lead's customer has a country.", nameof(customer)),
            Region = criteria.Region,
            City = criteria.City,
            Coordinates = criteria.Coordinates,
            Language = criteria.Language,
            CustomerEmailDomain = CustomerRequest.DomainOf(customer.Email),
            CustomerCompany = customer.CompanyName,
        };
    }
}

/// <summary>Why the lead reached its partner: the partner's own score, its rank among the partners that could take it, and the components.</summary>
public sealed record LeadMatch(DateTimeOffset At, double Score, int Rank, int Candidates, IReadOnlyList<MatchComponent> Components)
{
    public static LeadMatch From(RankedCandidate chosen, int candidates, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        return new LeadMatch(at, chosen.Score, chosen.Rank, candidates, chosen.Components);
    }
}
