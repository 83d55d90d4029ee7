using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Matching;

/// <summary>What a customer asks for: the request that partners are matched to.</summary>
public sealed record CustomerRequest
{
    /// <summary>Free text; its words (stop words, one-letter words and numbers left out) are compared with expertise.</summary>
    public string? Need { get; init; }

    public IReadOnlyList<string> Keywords { get; init; } = [];

    public string? Industry { get; init; }

    public CompanySize? CompanySize { get; init; }

    /// <summary>Scored only when the request names one.</summary>
    public string? BusinessModel { get; init; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Country { get; init; }

    public string? Region { get; init; }

    public string? City { get; init; }

    public GeoPoint? Coordinates { get; init; }

    /// <summary>BCP 47 tag.</summary>
    public string? Language { get; init; }

    public required LeadType LeadType { get; init; }

    /// <summary>The domain of the customer's email address (<c>fabrikam.example</c>).</summary>
    public string? CustomerEmailDomain { get; init; }

    public string? CustomerCompany { get; init; }

    /// <summary>The part of an email address after its last @ (<c>fabrikam.example</c>), or null.</summary>
    public static string? DomainOf(string? email) =>
        email?.LastIndexOf('@') is int at and >= 0 ? email[(at + 1)..] : null;
}
