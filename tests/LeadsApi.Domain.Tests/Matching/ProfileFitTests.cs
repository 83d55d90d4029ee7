using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

public class ProfileFitTests
{
    private const MatchComponentKind Fit = MatchComponentKind.ProfileFit;

    [Fact]
    public void ProfileFit_NoKeywordInTheExpertise_IsZero()
    {
        var request = Request() with { Keywords = ["sharepoint", "intranet"] };
        var candidate = Candidate() with { ExpertiseKeywords = ["dynamics 365", "erp"] };

        var component = Component(request, candidate, Fit);

        Assert.Equal(0, component.Value);
        Assert.Contains("0 of 2 keywords", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileFit_EveryKeywordInTheExpertise_IsOne()
    {
        var request = Request() with { Keywords = ["SharePoint", "Microsoft 365"] };
        var candidate = Candidate() with { ExpertiseKeywords = ["microsoft 365", "sharepoint online"] };

        var component = Component(request, candidate, Fit);

        Assert.Equal(1, component.Value);
        Assert.Contains("3 of 3 keywords in its expertise (sharepoint, microsoft, 365)", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileFit_SomeKeywords_IsTheShareOfKeywordWordsFound()
    {
        var request = Request() with { Keywords = ["teams", "exchange", "intune", "azure"] };
        var candidate = Candidate() with { ExpertiseKeywords = ["Teams", "azure"] };

        Assert.Equal(0.5, Value(request, candidate, Fit));
    }

    [Fact]
    public void ProfileFit_NeedWithThreeWordsInTheExpertise_IsFull()
    {
        var request = Request() with { Need = "Migrate mailboxes to Exchange Online, then roll out Teams and Intune" };
        var candidate = Candidate() with { ExpertiseKeywords = ["exchange online", "teams"] };

        Assert.Equal(1, Value(request, candidate, Fit));
    }

    [Fact]
    public void ProfileFit_NeedWithOneWordInTheExpertise_IsAThird()
    {
        var request = Request() with { Need = "Migrate mailboxes to Exchange, then roll out Intune" };
        var candidate = Candidate() with { ExpertiseKeywords = ["exchange", "sharepoint"] };

        Assert.Equal(1.0 / 3, Value(request, candidate, Fit), 12);
    }

    [Fact]
    public void ProfileFit_NeedOfStopWordsAndNumbers_NamesNothingToCompare()
    {
        // "Set up 40 for us": stop words, a number; nothing left that could be expertise.
        var request = Request() with { Need = "Set up 40 for us" };
        var candidate = Candidate() with { ExpertiseKeywords = ["set", "40", "us"] };

        var component = Component(request, candidate, Fit);

        Assert.Equal(MatchScoring.NeutralPrior, component.Value);
        Assert.Contains("names nothing to compare", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileFit_NeedWordAlsoAKeyword_CountsOnceAsAKeyword()
    {
        var request = Request() with { Keywords = ["teams"], Need = "Teams rollout" };
        var candidate = Candidate() with { ExpertiseKeywords = ["teams"] };

        // keywords 1 of 1, need: "rollout" only, not found: (1 + 0) / 2.
        Assert.Equal(0.5, Value(request, candidate, Fit));
    }

    public static TheoryData<CustomerRequest, MatchCandidate> MetCriteria() => new()
    {
        { Request() with { Industry = "retail" }, Candidate() with { Industries = ["healthcare", "Retail"] } },
        { Request() with { CompanySize = CompanySize.Small }, Candidate() with { CompanySizes = [CompanySize.Small] } },
        { Request() with { BusinessModel = "managedServices" }, Candidate() with { BusinessModels = ["managedservices"] } },
        { Request() with { Language = "pt-PT" }, Candidate() with { Languages = ["pt"] } },
        { Request() with { Language = "pt" }, Candidate() with { Languages = ["en", "pt-BR"] } },
    };

    [Theory]
    [MemberData(nameof(MetCriteria))]
    public void ProfileFit_CriterionMet_IsOne(CustomerRequest request, MatchCandidate candidate) =>
        Assert.Equal(1, Value(request, candidate, Fit));

    public static TheoryData<CustomerRequest, MatchCandidate> UnmetCriteria() => new()
    {
        { Request() with { Industry = "retail" }, Candidate() with { Industries = ["healthcare"] } },
        { Request() with { Industry = "retail" }, Candidate() },
        { Request() with { CompanySize = CompanySize.Small }, Candidate() with { CompanySizes = [CompanySize.Micro, CompanySize.Medium] } },
        { Request() with { BusinessModel = "managedServices" }, Candidate() with { BusinessModels = ["licensing"] } },
        { Request() with { Language = "pt-PT" }, Candidate() with { Languages = ["es", "en"] } },
    };

    [Theory]
    [MemberData(nameof(UnmetCriteria))]
    public void ProfileFit_CriterionUnmet_IsZero(CustomerRequest request, MatchCandidate candidate) =>
        Assert.Equal(0, Value(request, candidate, Fit));

    [Fact]
    public void ProfileFit_BusinessModelNotNamed_IsNotScored()
    {
        var request = Request() with { Industry = "retail" };
        var candidate = Candidate() with { Industries = ["retail"], BusinessModels = [] };

        Assert.Equal(1, Value(request, candidate, Fit));
    }

    [Fact]
    public void ProfileFit_IsTheMeanOfTheNamedCriteria()
    {
        var request = Request() with
        {
            Keywords = ["teams", "exchange"], Industry = "retail", CompanySize = CompanySize.Small, Language = "pt",
        };
        var candidate = Candidate() with
        {
            ExpertiseKeywords = ["teams"], Industries = ["retail"], CompanySizes = [CompanySize.Large], Languages = ["pt"],
        };

        var component = Component(request, candidate, Fit);

        // keywords 1/2, industry 1, size 0, language 1.
        Assert.Equal(2.5 / 4, component.Value, 12);
        Assert.Equal(
            "Profile fit 0.625, the mean of 4 criteria: 1 of 2 keywords in its expertise (teams); serves the retail industry; "
            + "does not serve small companies; speaks pt; takes customerInquiry leads.",
            component.Explanation);
    }
}
