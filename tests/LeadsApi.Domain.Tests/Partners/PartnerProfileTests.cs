using LeadsApi.Domain.Matching;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Partners;

namespace LeadsApi.Domain.Tests.Partners;

public sealed class PartnerProfileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "u1", "admin");
    private static readonly Guid PartnerId = Guid.CreateVersion7();

    private static ProfileDraft Draft(
        IReadOnlyList<string>? keywords = null, IReadOnlyList<string>? languages = null, IReadOnlyList<CompanySize>? sizes = null,
        int? capacity = null, ProfilePause? pause = null, IReadOnlyList<ServiceLocation>? locations = null) =>
        new(keywords ?? [], [], sizes ?? [], [], [], languages ?? [], locations ?? [], capacity, pause);

    [Fact]
    public void Empty_IsVersionZero_AndExcludesNothing()
    {
        var empty = PartnerProfile.Empty(PartnerId);

        Assert.Equal(0, empty.Version);
        Assert.Null(empty.UpdatedAt);
        Assert.False(empty.IsPausedAt(Now));
        Assert.All(Enum.GetValues<LeadType>(), t => Assert.True(empty.Accepts(t)));
        Assert.All(Enum.GetValues<CompanySize>(), s => Assert.True(empty.Serves(s)));
        Assert.Null(empty.RemainingCapacity(1000));
    }

    [Fact]
    public void Update_NormalizesKeywords_TrimmedLowerCasedCollapsedAndOnce()
    {
        var (profile, change) = PartnerProfile.Empty(PartnerId).Update(
            Draft(keywords: ["  Microsoft   365 ", "microsoft 365", "TEAMS", "teams\t", "Exchange\u00A0Migration"]), Admin, Now);

        Assert.Equal(["microsoft 365", "teams", "exchange migration"], profile.ExpertiseKeywords);
        Assert.NotNull(change);
        Assert.Equal(1, profile.Version);
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Theory]
    [InlineData("PT-pt", "pt-PT")]
    [InlineData("en", "en")]
    [InlineData("ZH-HANT-tw", "zh-Hant-TW")]
    [InlineData("es-419", "es-419")]
    [InlineData("de-CH-1996", "de-CH-1996")]
    public void LanguageTag_TakesItsConventionalCase(string given, string expected) =>
        Assert.Equal(expected, ProfileText.LanguageTag(given));

    [Fact]
    public void Update_KeepsEachLanguageOnce_WhateverItsCase()
    {
        var (profile, _) = PartnerProfile.Empty(PartnerId).Update(Draft(languages: ["pt-PT", "PT-pt", "en"]), Admin, Now);

        Assert.Equal(["pt-PT", "en"], profile.Languages);
    }

    [Fact]
    public void Update_KeepsEnumsOnce_InDeclaredOrder()
    {
        var (profile, _) = PartnerProfile.Empty(PartnerId).Update(
            Draft(sizes: [CompanySize.Large, CompanySize.Micro, CompanySize.Large]), Admin, Now);

        Assert.Equal([CompanySize.Micro, CompanySize.Large], profile.CompanySizes);
        Assert.True(profile.Serves(CompanySize.Micro));
        Assert.False(profile.Serves(CompanySize.Medium));
    }

    [Fact]
    public void Update_ThatChangesNothing_MakesNoVersionAndNoChange()
    {
        var (first, _) = PartnerProfile.Empty(PartnerId).Update(Draft(keywords: ["teams"], capacity: 5), Admin, Now);

        var (again, change) = first.Update(Draft(keywords: [" Teams "], capacity: 5), Admin, Now.AddHours(1));

        Assert.Null(change);
        Assert.Same(first, again);
    }

    [Fact]
    public void Update_NamesOnlyTheMembersItChanged_InTheApisOrder()
    {
        var (first, _) = PartnerProfile.Empty(PartnerId).Update(Draft(keywords: ["teams"], capacity: 5), Admin, Now);

        var (second, change) = first.Update(Draft(keywords: ["teams", "azure"], capacity: 5, pause: new ProfilePause(Now.AddDays(3), " Holidays ")), Admin, Now.AddHours(1));

        Assert.Equal([PartnerProfile.Fields.ExpertiseKeywords, PartnerProfile.Fields.Pause], change!.ChangedFields);
        Assert.Equal(2, change.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal("Holidays", second.Pause!.Reason);
        Assert.Equal(Admin, change.Actor);
    }

    [Fact]
    public void Pause_HoldsUntilItsEnd_AndNotAfter()
    {
        var (profile, _) = PartnerProfile.Empty(PartnerId).Update(Draft(pause: new ProfilePause(Now.AddDays(1), null)), Admin, Now);

        Assert.True(profile.IsPausedAt(Now));
        Assert.True(profile.IsPausedAt(Now.AddDays(1).AddTicks(-1)));
        Assert.False(profile.IsPausedAt(Now.AddDays(1)));
        Assert.False(profile.IsPausedAt(Now.AddDays(2)));
    }

    [Theory]
    [InlineData(10, 3, 7)]
    [InlineData(10, 10, 0)]
    [InlineData(10, 12, 0)]
    [InlineData(0, 0, 0)]
    public void RemainingCapacity_IsWhatIsLeft_NeverBelowZero(int capacity, int received, int remaining)
    {
        var (profile, _) = PartnerProfile.Empty(PartnerId).Update(Draft(capacity: capacity), Admin, Now);

        Assert.Equal(remaining, profile.RemainingCapacity(received));
    }

    [Fact]
    public void Update_TrimsLocationText_AndUpperCasesTheCountry()
    {
        var location = new ServiceLocation(" Lisbon office ", "pt", "  ", " Lisbon ", new GeoPoint(38.72, -9.14), 50,
            new NotificationContact(" Li Wei ", " li@contoso.example ", " "));

        var (profile, _) = PartnerProfile.Empty(PartnerId).Update(Draft(locations: [location]), Admin, Now);

        Assert.Equal(new ServiceLocation("Lisbon office", "PT", null, "Lisbon", new GeoPoint(38.72, -9.14), 50,
            new NotificationContact("Li Wei", "li@contoso.example", null)), profile.Locations.Single());
    }

    [Fact]
    public void Update_RefusesMoreKeywordsThanTheLimit()
    {
        var keywords = Enumerable.Range(0, PartnerProfile.MaxKeywords + 1).Select(i => $"k{i}").ToList();

        Assert.Throws<ArgumentOutOfRangeException>(() => PartnerProfile.Empty(PartnerId).Update(Draft(keywords: keywords), Admin, Now));
    }

    [Fact]
    public void DistanceKm_LisbonToPorto_IsAbout274()
    {
        var lisbon = new GeoPoint(38.7223, -9.1393);
        var porto = new GeoPoint(41.1579, -8.6291);

        Assert.InRange(lisbon.DistanceKmTo(porto), 270, 278);
        Assert.Equal(0, lisbon.DistanceKmTo(lisbon), 6);
    }
}
