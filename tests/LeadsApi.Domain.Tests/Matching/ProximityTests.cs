using LeadsApi.Domain.Matching;
using static LeadsApi.Domain.Tests.Matching.Matches;

namespace LeadsApi.Domain.Tests.Matching;

public class ProximityTests
{
    private const MatchComponentKind Near = MatchComponentKind.Proximity;

    // A customer in Lisbon; an office 0.2 degrees of latitude north of it (about 22 km).
    private static readonly GeoPoint Office = new(Lisbon.Latitude + 0.2, Lisbon.Longitude);

    private static CustomerRequest LisbonCustomer() =>
        Request() with { Country = "PT", Region = "Lisboa", City = "Lisboa", Coordinates = Lisbon };

    private static MatchCandidate WithLocation(CandidateLocation location) =>
        Candidate() with { Locations = [location] };

    private static CandidateLocation OfficeInLisboa(double radiusKm) => new()
    {
        Name = "Loures office", Country = "PT", Region = "Lisboa", City = "Loures", Coordinates = Office, ServiceRadiusKm = radiusKm,
    };

    [Fact]
    public void Proximity_JustInsideTheRadius_IsOne()
    {
        var distance = Office.DistanceKmTo(Lisbon);

        var component = Component(LisbonCustomer(), WithLocation(OfficeInLisboa(distance + 0.001)), Near);

        Assert.Equal(1, component.Value);
        Assert.Equal("The customer is 22.2 km from Loures office, within its 22.2 km service radius.", component.Explanation);
    }

    [Fact]
    public void Proximity_JustOutsideTheRadiusInTheSameRegion_IsTheRegionScore()
    {
        var distance = Office.DistanceKmTo(Lisbon);

        var component = Component(LisbonCustomer(), WithLocation(OfficeInLisboa(distance - 0.001)), Near);

        Assert.Equal(0.7, component.Value);
        Assert.Equal(MatchScoring.SameRegionProximity, component.Value);
        Assert.Contains("outside its 22.2 km radius", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Proximity_SameCountryOtherRegion_IsTheCountryScore()
    {
        var porto = new CandidateLocation
        {
            Name = "Porto office", Country = "pt", Region = "Porto", City = "Porto", Coordinates = Porto, ServiceRadiusKm = 30,
        };

        var component = Component(LisbonCustomer(), WithLocation(porto), Near);

        Assert.Equal(0.4, component.Value);
        Assert.Equal(MatchScoring.SameCountryProximity, component.Value);
        Assert.Equal(
            "Porto office is in the customer's country, PT, in another region, 274.3 km from the customer, outside its 30 km radius.",
            component.Explanation);
    }

    [Fact]
    public void Proximity_OnlyInAnotherCountry_IsZeroNotAnExclusion()
    {
        var madrid = new CandidateLocation { Country = "ES", Region = "Madrid", City = "Madrid", Coordinates = new(40.4168, -3.7038), ServiceRadiusKm = 100 };

        var component = Component(LisbonCustomer(), WithLocation(madrid), Near);

        Assert.Equal(0, component.Value);
        Assert.Equal("No location in the customer's country (PT) or within reach of the customer.", component.Explanation);
    }

    [Fact]
    public void Proximity_NoLocation_IsZero()
    {
        var component = Component(LisbonCustomer(), Candidate(), Near);

        Assert.Equal(0, component.Value);
        Assert.Equal("The profile lists no location.", component.Explanation);
    }

    [Fact]
    public void Proximity_WithinTheRadiusAcrossABorder_IsOne()
    {
        // Badajoz (ES) serves Elvas (PT), 15 km away.
        var customer = Request() with { Country = "PT", Coordinates = new(38.8810, -7.1630) };
        var badajoz = new CandidateLocation { Country = "ES", Coordinates = new(38.8794, -6.9707), ServiceRadiusKm = 40 };

        Assert.Equal(1, Value(customer, WithLocation(badajoz), Near));
    }

    [Fact]
    public void Proximity_SameCityWithoutCoordinates_IsOne()
    {
        var customer = Request() with { Country = "PT", City = "Lisboa" };
        var office = new CandidateLocation { Name = "HQ", Country = "PT", City = "lisboa", Coordinates = Office, ServiceRadiusKm = 10 };

        var component = Component(customer, WithLocation(office), Near);

        Assert.Equal(1, component.Value);
        Assert.Equal("HQ is in the customer's city, Lisboa.", component.Explanation);
    }

    [Fact]
    public void Proximity_SameCityButMeasuredOutsideTheRadius_IsNotOne()
    {
        // When both points are known the distance decides, not the city's name.
        var office = OfficeInLisboa(5) with { City = "Lisboa" };

        Assert.Equal(MatchScoring.SameRegionProximity, Value(LisbonCustomer(), WithLocation(office), Near));
    }

    [Fact]
    public void Proximity_SeveralLocations_TakesTheBest()
    {
        var porto = new CandidateLocation { Name = "Porto", Country = "PT", Region = "Porto" };
        var loures = OfficeInLisboa(50);

        Assert.Equal(1, Value(LisbonCustomer(), Candidate() with { Locations = [porto, loures] }, Near));
    }

    [Fact]
    public void Distance_LisbonToPorto_IsTheHaversineDistance() =>
        Assert.Equal(274.2955, Porto.DistanceKmTo(Lisbon), 3);
}
