using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

/// <summary>
/// The worked example of docs/matching.md, number for number: when the formula changes, this test fails until the
/// document is worked again.
/// </summary>
public class WorkedExampleTests
{
    private static readonly CustomerRequest Fabrikam = new()
    {
        Need = "Move 40 mailboxes to Exchange Online and set up Teams",
        Keywords = ["Microsoft 365", "migration"],
        Industry = "retail",
        CompanySize = CompanySize.Small,
        Country = "PT",
        Region = "Lisboa",
        City = "Lisboa",
        Coordinates = new(38.7223, -9.1393),
        Language = "pt-PT",
        LeadType = LeadType.CustomerInquiry,
        CustomerEmailDomain = "fabrikam.example",
        CustomerCompany = "Fabrikam Ltd",
    };

    private static readonly MatchCandidate Contoso = new()
    {
        PartnerId = PartnerId(1),
        Name = "Contoso Lisboa",
        ExpertiseKeywords = ["microsoft 365", "exchange online", "teams"],
        Industries = ["retail", "healthcare"],
        CompanySizes = [CompanySize.Small, CompanySize.Medium],
        Languages = ["pt", "en"],
        LeadTypesAccepted = [LeadType.CustomerInquiry, LeadType.MarketingQualified],
        Locations = [new() { Name = "Lisbon office", Country = "PT", Region = "Lisboa", City = "Lisboa", Coordinates = new(38.7369, -9.1427), ServiceRadiusKm = 50 }],
        WeeklyCapacity = 10,
        LeadsThisWeek = 4,
        LeadsLast7Days = 5,
        History = new()
        {
            ResolvedLeads = 20, MedianHoursToRespond = 6, AnsweredWithin24hShare = 0.8, ExpiryRate = 0.05,
            SimilarLeads = 12, SimilarAcceptanceRate = 0.75, SimilarClosedLeads = 6, SimilarWinRate = 0.5,
        },
    };

    private static readonly MatchCandidate Northwind = new()
    {
        PartnerId = PartnerId(2),
        Name = "Northwind Porto",
        ExpertiseKeywords = ["microsoft 365", "migration", "sharepoint"],
        Industries = ["retail"],
        CompanySizes = [CompanySize.Small],
        Languages = ["pt"],
        LeadTypesAccepted = [LeadType.CustomerInquiry],
        Locations = [new() { Name = "Porto office", Country = "PT", Region = "Porto", City = "Porto", Coordinates = new(41.1579, -8.6291), ServiceRadiusKm = 30 }],
        LeadsLast7Days = 3,
    };

    private static readonly MatchCandidate Woodgrove = Northwind with { PartnerId = PartnerId(3), Name = "Woodgrove Porto", LeadsLast7Days = 1 };

    private static readonly MatchCandidate Tailspin = Contoso with
    {
        PartnerId = PartnerId(4),
        Name = "Tailspin Lisboa",
        RecentAnswers = [new(Guid.Empty, RecentAnswerKind.Declined, new(2026, 10, 31, 15, 0, 0, TimeSpan.Zero), "fabrikam.example", "Fabrikam")],
    };

    private static MatchResult Result() =>
        MatchScoring.Rank(Fabrikam, [Northwind, Tailspin, Contoso, Woodgrove], MatchWeights.Default, new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WorkedExample_Ranking()
    {
        var result = Result();

        Assert.Equal(
            [(1, "Contoso Lisboa", 0.816536), (2, "Woodgrove Porto", 0.59), (3, "Northwind Porto", 0.59)],
            result.Ranked.Select(r => (r.Rank, r.Name, r.Score)));
        Assert.Equal(3, result.RankedCount);
        var tailspin = Assert.Single(result.Excluded);
        Assert.Equal("Tailspin Lisboa", tailspin.Name);
        Assert.Equal(
            new Exclusion(ExclusionReason.DeclinedSameCustomer, "Declined a lead from the same customer (email domain fabrikam.example) on 2026-10-31, within the last 90 days."),
            Assert.Single(tailspin.Reasons));
    }

    [Fact]
    public void WorkedExample_Contoso()
    {
        var contoso = Result().Ranked[0];

        Assert.Equal([0.933333, 1, 0.811111, 0.588235, 0.6], contoso.Components.Select(c => Math.Round(c.Value, 6)));
        Assert.Equal(
            [
                "Profile fit 0.933, the mean of 5 criteria: 2 of 3 keywords in its expertise (microsoft, 365); 3 of 4 words of the need in its expertise (exchange, online, teams); serves the retail industry; serves small companies; speaks pt-PT; takes customerInquiry leads.",
                "The customer is 1.7 km from Lisbon office, within its 50 km service radius.",
                "From 20 leads: median answer in 6 h, 80% answered within 24 h, 5% expired; 0.889 shrunk toward 0.5 gives 0.811.",
                "On similar past leads: accepted 75% of 12 (0.676 after the prior), won 50% of 6 closed (0.5 after the prior).",
                "6 of 10 new leads this week still open.",
            ],
            contoso.Components.Select(c => c.Explanation));
    }

    [Fact]
    public void WorkedExample_NorthwindAndWoodgrove()
    {
        var ranked = Result().Ranked;

        foreach (var porto in ranked.Skip(1))
        {
            Assert.Equal([0.8, 0.4, 0.5, 0.5, 0.5], porto.Components.Select(c => Math.Round(c.Value, 6)));
        }

        Assert.Equal(
            [
                "Profile fit 0.8, the mean of 5 criteria: 3 of 3 keywords in its expertise (microsoft, 365, migration); 0 of 4 words of the need in its expertise; serves the retail industry; serves small companies; speaks pt-PT; takes customerInquiry leads.",
                "Porto office is in the customer's country, PT, in another region, 274.3 km from the customer, outside its 30 km radius.",
                "No answered or expired leads yet: the neutral prior 0.5.",
                "No similar past leads yet: the neutral prior 0.5.",
                "No weekly capacity stated: the neutral 0.5.",
            ],
            ranked[1].Components.Select(c => c.Explanation));
    }
}
