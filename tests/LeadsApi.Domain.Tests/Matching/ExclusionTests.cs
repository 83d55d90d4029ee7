using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

public class ExclusionTests
{
    private static CustomerRequest FromFabrikam() =>
        Request() with { CustomerEmailDomain = "fabrikam.example", CustomerCompany = "Fabrikam Ltd" };

    private static RecentAnswer Answer(RecentAnswerKind kind, TimeSpan ago, string? domain, string? company) =>
        new(Guid.CreateVersion7(), kind, Now - ago, domain, company);

    [Fact]
    public void Paused_UntilAfterNow_IsExcluded()
    {
        var candidate = Candidate() with { PausedUntil = Now.AddDays(3) };

        var excluded = Excluded(Request(), candidate);

        Assert.Equal(candidate.PartnerId, excluded.PartnerId);
        var reason = Assert.Single(excluded.Reasons);
        Assert.Equal(new Exclusion(ExclusionReason.Paused, "Paused until 2026-12-04 10:00 UTC."), reason);
    }

    [Fact]
    public void Paused_UntilNow_IsRankedAgain() =>
        Ranked(Request(), Candidate() with { PausedUntil = Now });

    [Theory]
    [InlineData(10, 10)]
    [InlineData(10, 12)]
    [InlineData(0, 0)]
    public void AtCapacity_IsExcluded(int capacity, int thisWeek)
    {
        var excluded = Excluded(Request(), Candidate() with { WeeklyCapacity = capacity, LeadsThisWeek = thisWeek });

        Assert.Equal(ExclusionReason.AtCapacity, Assert.Single(excluded.Reasons).Reason);
    }

    [Fact]
    public void AtCapacity_OneLeadBelow_IsRanked() =>
        Ranked(Request(), Candidate() with { WeeklyCapacity = 10, LeadsThisWeek = 9 });

    [Fact]
    public void LeadTypeNotAccepted_IsExcluded()
    {
        var candidate = Candidate() with { LeadTypesAccepted = [LeadType.CustomerInquiry, LeadType.MarketingQualified] };

        var excluded = Excluded(Request(LeadType.SalesQualified), candidate);

        Assert.Equal(new Exclusion(ExclusionReason.LeadTypeNotAccepted, "Does not take salesQualified leads."), Assert.Single(excluded.Reasons));
    }

    [Fact]
    public void LeadTypesAcceptedEmpty_TakesNone() =>
        Assert.Equal(
            ExclusionReason.LeadTypeNotAccepted,
            Assert.Single(Excluded(Request(), Candidate() with { LeadTypesAccepted = [] }).Reasons).Reason);

    [Fact]
    public void DeclinedSameEmailDomain_Within90Days_IsExcluded()
    {
        var candidate = Candidate() with
        {
            RecentAnswers = [Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(89), "Fabrikam.Example", "Another name")],
        };

        var excluded = Excluded(FromFabrikam(), candidate);

        Assert.Equal(
            new Exclusion(ExclusionReason.DeclinedSameCustomer, "Declined a lead from the same customer (email domain fabrikam.example) on 2026-09-03, within the last 90 days."),
            Assert.Single(excluded.Reasons));
    }

    [Fact]
    public void DeclinedSameCustomer_MoreThan90DaysAgo_IsRanked() =>
        Ranked(FromFabrikam(), Candidate() with { RecentAnswers = [Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(90), "fabrikam.example", "Fabrikam Ltd")] });

    [Theory]
    [InlineData("Fabrikam Ltd")]
    [InlineData("FABRIKAM, Limited")]
    [InlineData("  fabrikam  ")]
    public void ExpiredSameCompany_Within90Days_IsExcluded(string company)
    {
        var candidate = Candidate() with
        {
            RecentAnswers = [Answer(RecentAnswerKind.Expired, TimeSpan.FromDays(10), "other.example", company)],
        };

        var reason = Assert.Single(Excluded(FromFabrikam(), candidate).Reasons);

        Assert.Equal(ExclusionReason.ExpiredSameCustomer, reason.Reason);
        Assert.StartsWith($"Let expire a lead from the same customer (company {company.Trim()}) on 2026-11-21", reason.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void SamePublicMailboxDomain_IsAnotherCustomer()
    {
        var request = Request() with { CustomerEmailDomain = "gmail.com", CustomerCompany = "Ana's Bakery" };
        var candidate = Candidate() with
        {
            RecentAnswers =
            [
                Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(1), "gmail.com", "Joe's Garage"),
                Answer(RecentAnswerKind.Expired, TimeSpan.FromDays(1), "hotmail.co.uk", null),
            ],
        };

        Ranked(request, candidate);
    }

    [Fact]
    public void AnotherCustomer_IsRanked() =>
        Ranked(FromFabrikam(), Candidate() with { RecentAnswers = [Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(1), "contoso.example", "Contoso")] });

    [Fact]
    public void LegalFormAlone_IsNoCompanyName()
    {
        var request = Request() with { CustomerCompany = "Ltd" };

        Ranked(request, Candidate() with { RecentAnswers = [Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(1), null, "LTD")] });
    }

    [Fact]
    public void EveryReason_IsListedInTheOrderOfTheSet()
    {
        var candidate = Candidate() with
        {
            PausedUntil = Now.AddHours(1),
            WeeklyCapacity = 1,
            LeadsThisWeek = 1,
            LeadTypesAccepted = [LeadType.SalesQualified],
            RecentAnswers =
            [
                Answer(RecentAnswerKind.Expired, TimeSpan.FromDays(5), "fabrikam.example", null),
                Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(40), null, "Fabrikam"),
                Answer(RecentAnswerKind.Declined, TimeSpan.FromDays(20), null, "Fabrikam"),
            ],
        };

        var excluded = Excluded(FromFabrikam(), candidate);

        Assert.Equal(
            [ExclusionReason.Paused, ExclusionReason.AtCapacity, ExclusionReason.LeadTypeNotAccepted, ExclusionReason.DeclinedSameCustomer, ExclusionReason.ExpiredSameCustomer],
            excluded.Reasons.Select(r => r.Reason));
        // The most recent decline names the date.
        Assert.Contains("on 2026-11-11", excluded.Reasons[3].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluded_AreListedApartByPartnerId_AndNotRanked()
    {
        var paused = Candidate(3) with { PausedUntil = Now.AddDays(1) };
        var full = Candidate(2) with { WeeklyCapacity = 1, LeadsThisWeek = 1 };
        var open = Candidate(1);

        var result = Rank(Request(), paused, open, full);

        Assert.Equal([open.PartnerId], result.Ranked.Select(r => r.PartnerId));
        Assert.Equal(1, result.RankedCount);
        Assert.Equal([full.PartnerId, paused.PartnerId], result.Excluded.Select(e => e.PartnerId));
    }
}
