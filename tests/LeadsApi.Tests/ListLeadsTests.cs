using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class ListLeadsTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task MarketplaceView_ListsOnlyCustomerInquiries()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var inquiry = await sender.SendLeadAsync(partner.PartnerId, type: "customerInquiry");
        await sender.SendLeadAsync(partner.PartnerId, type: "marketingQualified");
        await sender.SendLeadAsync(partner.PartnerId, type: "salesQualified");

        var page = await partner.Admin.ListAsync("view=marketplace");

        Assert.Equal([inquiry.Id()], page.Ids());
    }

    [Fact]
    public async Task QualifiedView_ListsMarketingAndSalesQualifiedLeads()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.SendLeadAsync(partner.PartnerId, type: "customerInquiry");
        var marketing = await sender.SendLeadAsync(partner.PartnerId, type: "marketingQualified");
        var sales = await sender.SendLeadAsync(partner.PartnerId, type: "salesQualified");

        var page = await partner.Admin.ListAsync("view=qualified");

        Assert.Equal(Sorted(marketing.Id(), sales.Id()), Sorted(page.Ids()));
        Assert.All(page.Items(), l => Assert.NotEqual("customerInquiry", l.Str("type")));
    }

    [Fact]
    public async Task FavoritesView_ListsOnlyWhatTheCallingUserStarred()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var starredByAdmin = await sender.SendLeadAsync(partner.PartnerId, type: "customerInquiry");
        var starredByReader = await sender.SendLeadAsync(partner.PartnerId, type: "salesQualified");
        await sender.SendLeadAsync(partner.PartnerId);
        (await partner.Admin.PutAsync($"/v1/leads/{starredByAdmin.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await partner.Reader.PutAsync($"/v1/leads/{starredByReader.Id()}/favorite", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var admins = await partner.Admin.ListAsync("view=favorites");
        var readers = await partner.Reader.ListAsync("view=favorites");
        var referralsAdmins = await partner.ReferralsAdmin.ListAsync("view=favorites");

        Assert.Equal([starredByAdmin.Id()], admins.Ids());
        Assert.True(admins.Items().Single().GetProperty("favorite").GetBoolean());
        Assert.Equal([starredByReader.Id()], readers.Ids());
        Assert.True(readers.Items().Single().GetProperty("favorite").GetBoolean());
        Assert.Empty(referralsAdmins.Ids());
    }

    [Fact]
    public async Task StageFilter_ListsOnlyLeadsInThatStage()
    {
        var partner = await api.NewPartnerAsync();
        var leads = await LeadInEveryStatusAsync(partner);

        Assert.Equal([leads.Received], (await partner.Admin.ListAsync("stage=received")).Ids());
        Assert.Equal([leads.Accepted], (await partner.Admin.ListAsync("stage=accepted")).Ids());
        Assert.Equal(Sorted(leads.Declined, leads.Won, leads.Lost), Sorted((await partner.Admin.ListAsync("stage=archived")).Ids()));
    }

    [Fact]
    public async Task StatusFilter_ListsOnlyLeadsWithThatStatus()
    {
        var partner = await api.NewPartnerAsync();
        var leads = await LeadInEveryStatusAsync(partner);

        Assert.Equal([leads.Received], (await partner.Admin.ListAsync("status=received")).Ids());
        Assert.Equal([leads.Accepted], (await partner.Admin.ListAsync("status=accepted")).Ids());
        Assert.Equal([leads.Declined], (await partner.Admin.ListAsync("status=declined")).Ids());
        Assert.Equal([leads.Won], (await partner.Admin.ListAsync("status=won")).Ids());
        Assert.Equal([leads.Lost], (await partner.Admin.ListAsync("status=lost")).Ids());
        Assert.Empty((await partner.Admin.ListAsync("status=expired")).Ids());
    }

    [Fact]
    public async Task StatusFilter_AtRespondBy_MovesTheLeadFromReceivedToExpired()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).SendLeadAsync(partner.PartnerId);
        var id = lead.Id();
        var untilRespondBy = Time(lead, "respondBy") - api.Clock.GetUtcNow();

        api.Clock.Advance(untilRespondBy - TimeSpan.FromMicroseconds(1));
        Assert.Equal([id], (await partner.Admin.ListAsync("status=received")).Ids());
        Assert.Equal([id], (await partner.Admin.ListAsync("stage=received")).Ids());
        Assert.Empty((await partner.Admin.ListAsync("status=expired")).Ids());
        Assert.Empty((await partner.Admin.ListAsync("stage=archived")).Ids());

        api.Clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Empty((await partner.Admin.ListAsync("status=received")).Ids());
        Assert.Empty((await partner.Admin.ListAsync("stage=received")).Ids());
        var expired = await partner.Admin.ListAsync("status=expired");
        Assert.Equal([id], expired.Ids());
        Assert.Equal("expired", expired.Items().Single().Str("status"));
        Assert.Equal([id], (await partner.Admin.ListAsync("stage=archived")).Ids());
    }

    [Theory]
    [InlineData("customerInquiry")]
    [InlineData("marketingQualified")]
    [InlineData("salesQualified")]
    public async Task TypeFilter_ListsOnlyLeadsOfThatType(string type)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var ids = new Dictionary<string, string>();
        foreach (var t in new[] { "customerInquiry", "marketingQualified", "salesQualified" })
        {
            ids[t] = (await sender.SendLeadAsync(partner.PartnerId, type: t)).Id();
        }

        var page = await partner.Admin.ListAsync($"type={type}");

        Assert.Equal([ids[type]], page.Ids());
    }

    [Fact]
    public async Task HotFilter_ListsContactRequestsUntilTheHotWindowPasses()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var hot = await sender.SendLeadAsync(partner.PartnerId, contactRequested: true);
        var cold = await sender.SendLeadAsync(partner.PartnerId, contactRequested: false);
        var untilCold = Time(hot.GetProperty("contactRequest"), "hotUntil") - api.Clock.GetUtcNow();
        Assert.Equal(TimeSpan.FromHours(72), untilCold);

        Assert.Equal([hot.Id()], (await partner.Admin.ListAsync("hot=true")).Ids());
        Assert.Equal([cold.Id()], (await partner.Admin.ListAsync("hot=false")).Ids());

        api.Clock.Advance(untilCold - TimeSpan.FromMicroseconds(1));
        var stillHot = await partner.Admin.ListAsync("hot=true");
        Assert.Equal([hot.Id()], stillHot.Ids());
        Assert.Equal("hot", stillHot.Items().Single().GetProperty("contactRequest").Str("state"));

        api.Clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Empty((await partner.Admin.ListAsync("hot=true")).Ids());
        var notHot = await partner.Admin.ListAsync("hot=false");
        Assert.Equal(Sorted(hot.Id(), cold.Id()), Sorted(notHot.Ids()));
        var followUp = notHot.Items().Single(l => l.Id() == hot.Id());
        Assert.Equal("followUp", followUp.GetProperty("contactRequest").Str("state"));
        Assert.Equal("received", followUp.Str("status"));
    }

    [Theory]
    [InlineData("NORTHWIND", "company")]
    [InlineData("northwind traders", "company")]
    [InlineData("quill", "contact")]
    [InlineData("ZoE qU", "contact")]
    [InlineData("sharepoint", "need")]
    [InlineData("SET UP SHAREPOINT", "need")]
    public async Task Q_FindsTextInCompanyContactOrNeed_IgnoringCase(string q, string expected)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var leads = new Dictionary<string, string>
        {
            ["company"] = (await sender.SendLeadAsync(partner.PartnerId, companyName: "Northwind Traders")).Id(),
            ["contact"] = (await sender.SendLeadAsync(partner.PartnerId, contactName: "Zoe Quill")).Id(),
            ["need"] = (await sender.SendLeadAsync(partner.PartnerId, need: "Set up SharePoint for the intranet")).Id(),
        };
        await sender.SendLeadAsync(partner.PartnerId);

        var page = await partner.Admin.ListAsync($"q={Uri.EscapeDataString(q)}");

        Assert.Equal([leads[expected]], page.Ids());
    }

    [Fact]
    public async Task Q_WithNoMatch_ReturnsAnEmptyList()
    {
        var partner = await api.NewPartnerAsync();
        await (await api.NewSenderAsync()).SendLeadAsync(partner.PartnerId);

        var page = await partner.Admin.ListAsync("q=nowhere-to-be-found");

        Assert.Empty(page.Ids());
        Assert.False(page.TryGetProperty("nextLink", out _));
    }

    [Theory]
    [InlineData("0%", "100% Cloud")]
    [InlineData("a_b", "a_b Systems")]
    [InlineData(@"k\s", @"Back\slash Works")]
    [InlineData("%", "100% Cloud")]
    [InlineData("_", "a_b Systems")]
    public async Task Q_TakesPercentUnderscoreAndBackslashLiterally(string q, string expectedCompany)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var byCompany = new Dictionary<string, string>();
        // Each literal has a twin that a wildcard (or a swallowed backslash) would also match.
        foreach (var company in new[] { "100% Cloud", "1000 Cloud", "a_b Systems", "axb Systems", @"Back\slash Works", "Backslash Works" })
        {
            byCompany[company] = (await sender.SendLeadAsync(partner.PartnerId, companyName: company)).Id();
        }

        var page = await partner.Admin.ListAsync($"q={Uri.EscapeDataString(q)}");

        Assert.Equal([byCompany[expectedCompany]], page.Ids());
    }

    [Fact]
    public async Task UpdatedSince_ListsLeadsChangedAtOrAfterThatTime()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var first = await sender.SendLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await sender.SendLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var accepted = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{first.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);

        var sinceSecond = await partner.Admin.ListAsync($"updatedSince={Query(Time(second, "updatedAt"))}");
        var sinceAccept = await partner.Admin.ListAsync($"updatedSince={Query(Time(accepted, "updatedAt"))}");
        var afterAccept = await partner.Admin.ListAsync($"updatedSince={Query(Time(accepted, "updatedAt").AddTicks(10))}");
        var sinceBefore = await partner.Admin.ListAsync($"updatedSince={Query(Time(first, "receivedAt").AddMinutes(-1))}");

        Assert.Equal(Sorted(first.Id(), second.Id()), Sorted(sinceSecond.Ids()));
        Assert.Equal([first.Id()], sinceAccept.Ids());
        Assert.Empty(afterAccept.Ids());
        Assert.Equal(Sorted(first.Id(), second.Id()), Sorted(sinceBefore.Ids()));
    }

    [Theory]
    [InlineData("receivedAt")]
    [InlineData("-receivedAt")]
    [InlineData("respondBy")]
    [InlineData("-respondBy")]
    [InlineData("updatedAt")]
    [InlineData("-updatedAt")]
    [InlineData("estimatedValue")]
    [InlineData("-estimatedValue")]
    public async Task Sort_OrdersByTheKeyAndBreaksTies_OnOnePageAndWalkingPagesOfTwo(string sort)
    {
        var partner = await api.NewPartnerAsync();
        var leads = await LeadsWithTiesOnEveryKeyAsync(partner);
        var expected = ExpectedOrder(leads, sort);

        var single = await partner.Admin.ListAsync($"sort={Uri.EscapeDataString(sort)}");
        Assert.Equal(expected, single.Ids());
        Assert.False(single.TryGetProperty("nextLink", out _));

        var pages = await partner.Admin.WalkAsync($"/v1/leads?sort={Uri.EscapeDataString(sort)}&limit=2");
        Assert.Equal(expected, pages.SelectMany(p => p.Ids()).ToArray());
        Assert.Equal(4, pages.Count);
        Assert.All(pages[..^1], p => Assert.Equal(2, p.Ids().Length));
        Assert.All(pages[..^1], p => Assert.Contains($"sort={Uri.EscapeDataString(sort)}", p.Str("nextLink"), StringComparison.Ordinal));
        Assert.Single(pages[^1].Ids());
        Assert.False(pages[^1].TryGetProperty("nextLink", out _));
    }

    [Fact]
    public async Task WithoutSort_ListsNewestFirst()
    {
        var partner = await api.NewPartnerAsync();
        var leads = await LeadsWithTiesOnEveryKeyAsync(partner);

        var page = await partner.Admin.ListAsync("");

        Assert.Equal(ExpectedOrder(leads, "-receivedAt"), page.Ids());
    }

    [Fact]
    public async Task NextLink_KeepsEveryFilter_AndTheWalkListsEachMatchingLeadOnce()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var tooOld = await sender.SendLeadAsync(partner.PartnerId, contactRequested: true, companyName: "Litware Inc");
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var since = api.Clock.GetUtcNow();
        // Between the matching leads, decoys that each fail a filter, so every page must skip them.
        Func<Task>[] decoys =
        [
            () => sender.SendLeadAsync(partner.PartnerId, type: "marketingQualified", contactRequested: true, companyName: "Litware Inc"),
            () => sender.SendLeadAsync(partner.PartnerId, contactRequested: false, companyName: "Litware Inc"),
            () => sender.SendLeadAsync(partner.PartnerId, contactRequested: true, companyName: "Contoso"),
            async () =>
            {
                var accepted = await sender.SendLeadAsync(partner.PartnerId, contactRequested: true, companyName: "Litware Inc");
                (await partner.Admin.PostAsJsonAsync($"/v1/leads/{accepted.Id()}/accept", Api.AcceptBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
            },
            () => Task.CompletedTask,
        ];
        var matching = new List<string>();
        foreach (var decoy in decoys)
        {
            matching.Add((await sender.SendLeadAsync(partner.PartnerId, contactRequested: true, companyName: $"Litware Inc {matching.Count}")).Id());
            await decoy();
            api.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var filters = new Dictionary<string, string>
        {
            ["view"] = "marketplace",
            ["stage"] = "received",
            ["status"] = "received",
            ["type"] = "customerInquiry",
            ["hot"] = "true",
            ["q"] = "litware",
            ["updatedSince"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["sort"] = "receivedAt",
        };
        var query = string.Join('&', filters.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));

        var pages = await partner.Admin.WalkAsync($"/v1/leads?{query}&limit=2");

        Assert.Equal(matching, pages.SelectMany(p => p.Ids()));
        Assert.DoesNotContain(tooOld.Id(), pages.SelectMany(p => p.Ids()));
        Assert.Equal(3, pages.Count);
        foreach (var page in pages[..^1])
        {
            var link = HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), page.Str("nextLink")).Query);
            foreach (var (name, value) in filters)
            {
                var kept = name == "updatedSince"
                    ? link[name] is { } time && DateTimeOffset.Parse(time, CultureInfo.InvariantCulture) == since
                    : link[name] == value;
                Assert.True(kept, $"nextLink lost {name}={value}: {page.Str("nextLink")}");
            }

            Assert.Equal("2", link["limit"]);
        }
    }

    [Fact]
    public async Task Limit_DefaultsTo50()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var ids = new List<string>();
        for (var i = 0; i < 51; i++)
        {
            ids.Add((await sender.SendLeadAsync(partner.PartnerId)).Id());
        }

        var first = await partner.Admin.ListAsync("");
        Assert.Equal(50, first.Ids().Length);
        Assert.Contains("limit=50", first.Str("nextLink"), StringComparison.Ordinal);

        var last = await partner.Admin.GetJsonAsync(first.Str("nextLink"));
        Assert.Single(last.Ids());
        Assert.False(last.TryGetProperty("nextLink", out _));
        Assert.Equal(Sorted([.. ids]), Sorted([.. first.Ids(), .. last.Ids()]));
    }

    [Theory]
    [InlineData("updatedAt")]
    [InlineData("-receivedAt")]
    [InlineData("estimatedValue")]
    public async Task Cursor_FromAnotherSortOrder_Returns400NamingCursor(string otherSort)
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.SendLeadAsync(partner.PartnerId);
        await sender.SendLeadAsync(partner.PartnerId);
        var first = await partner.Admin.ListAsync("sort=receivedAt&limit=1");
        var cursor = HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), first.Str("nextLink")).Query)["cursor"];
        Assert.False(string.IsNullOrEmpty(cursor));
        (await partner.Admin.GetAsync($"/v1/leads?sort=receivedAt&limit=1&cursor={Uri.EscapeDataString(cursor!)}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await partner.Admin.GetAsync($"/v1/leads?sort={Uri.EscapeDataString(otherSort)}&limit=1&cursor={Uri.EscapeDataString(cursor!)}");

        await response.ShouldFailValidationAsync("cursor");
    }

    [Fact]
    public async Task Cursor_ThatIsNotOne_Returns400NamingCursor()
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.GetAsync("/v1/leads?cursor=not-a-cursor");

        await response.ShouldFailValidationAsync("cursor");
    }

    [Theory]
    [InlineData("receivedAt", "not-a-time")]
    [InlineData("-updatedAt", "")]
    [InlineData("estimatedValue", "a lot")]
    public async Task Cursor_EditedToHoldAValueOfTheWrongKind_Returns400NamingCursor(string sort, string value)
    {
        var partner = await api.NewPartnerAsync();
        await (await api.NewSenderAsync()).SendLeadAsync(partner.PartnerId);
        // The cursor is opaque, but it is only base64url JSON: a client (or a proxy) can mangle it.
        var edited = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { Sort = sort, Value = value, Id = Guid.NewGuid() }))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var response = await partner.Admin.GetAsync($"/v1/leads?sort={Uri.EscapeDataString(sort)}&cursor={edited}");

        await response.ShouldFailValidationAsync("cursor");
    }

    [Fact]
    public async Task SenderList_HoldsOnlyTheLeadsItSent()
    {
        var contoso = await api.NewPartnerAsync("Contoso");
        var litware = await api.NewPartnerAsync("Litware");
        var marketing = await api.NewSenderAsync("Marketing", Domain.Leads.SenderKind.PlatformMarketing);
        var marketplace = await api.NewSenderAsync("Marketplace");
        var sentByMarketing = new[]
        {
            (await marketing.SendLeadAsync(contoso.PartnerId, type: "marketingQualified")).Id(),
            (await marketing.SendLeadAsync(contoso.PartnerId, type: "marketingQualified")).Id(),
            (await marketing.SendLeadAsync(litware.PartnerId, type: "marketingQualified")).Id(),
        };
        var sentByMarketplace = (await marketplace.SendLeadAsync(contoso.PartnerId)).Id();

        var marketingList = await marketing.Client.ListAsync("");
        var marketplaceList = await marketplace.Client.ListAsync("");
        var contosoList = await contoso.Admin.ListAsync("");

        Assert.Equal(Sorted(sentByMarketing), Sorted(marketingList.Ids()));
        Assert.Equal([sentByMarketplace], marketplaceList.Ids());
        Assert.Equal(Sorted(sentByMarketing[0], sentByMarketing[1], sentByMarketplace), Sorted(contosoList.Ids()));
    }

    [Fact]
    public async Task PartnerList_NeverHoldsAnotherPartnersLeads()
    {
        var contoso = await api.NewPartnerAsync("Contoso");
        var litware = await api.NewPartnerAsync("Litware");
        var sender = await api.NewSenderAsync();
        var ours = await sender.SendLeadAsync(contoso.PartnerId);
        await sender.SendLeadAsync(litware.PartnerId);

        Assert.Equal([ours.Id()], (await contoso.Admin.ListAsync("")).Ids());
        Assert.Equal([ours.Id()], (await contoso.Reader.ListAsync("view=marketplace")).Ids());
    }

    private sealed record StatusLeads(string Received, string Accepted, string Declined, string Won, string Lost);

    private async Task<StatusLeads> LeadInEveryStatusAsync(PartnerClients partner)
    {
        var sender = await api.NewSenderAsync();
        var received = await sender.SendLeadAsync(partner.PartnerId);
        var accepted = await sender.AcceptedLeadAsync(partner);
        var declined = await sender.SendLeadAsync(partner.PartnerId, type: "salesQualified");
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var won = await sender.AcceptedLeadAsync(partner);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{won.Id()}/won", Api.WonBodyFor(won))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lost = await sender.AcceptedLeadAsync(partner);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lost.Id()}/lost", Api.LostBody)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return new StatusLeads(received.Id(), accepted.Id(), declined.Id(), won.Id(), lost.Id());
    }

    /// <summary>
    /// Seven leads where every sort key has ties: three received at one instant, two at another; two
    /// deals of equal value accepted at one instant; four leads without a deal.
    /// </summary>
    private async Task<IReadOnlyList<JsonElement>> LeadsWithTiesOnEveryKeyAsync(PartnerClients partner)
    {
        var sender = await api.NewSenderAsync();
        var a = await sender.SendLeadAsync(partner.PartnerId);
        var b = await sender.SendLeadAsync(partner.PartnerId);
        var c = await sender.SendLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var d = await sender.SendLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var e = await sender.SendLeadAsync(partner.PartnerId);
        var f = await sender.SendLeadAsync(partner.PartnerId);
        var g = await sender.SendLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        await AcceptWorthAsync(partner, a, 500.00m);
        await AcceptWorthAsync(partner, e, 500.00m);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        await AcceptWorthAsync(partner, c, 100.50m);

        var leads = new List<JsonElement>();
        foreach (var lead in new[] { a, b, c, d, e, f, g })
        {
            leads.Add(await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}"));
        }

        return leads;
    }

    private static async Task AcceptWorthAsync(PartnerClients partner, JsonElement lead, decimal amount)
    {
        var body = new { dealName = "Deal", estimatedValue = new { amount, currency = "EUR" }, estimatedCloseDate = "2027-01-31" };
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The order a client expects from the fields it reads: the key, then the id (as PostgreSQL orders uuids).</summary>
    /// <remarks>
    /// <c>sort=updatedAt</c> is the delta sync's commit order: leads changed at the same moment come in the order their
    /// changes committed, not by id (two ids of one millisecond are in random order). In the leads given, which were last
    /// written in their order within each tie, that is their order in the list.
    /// </remarks>
    private static string[] ExpectedOrder(IEnumerable<JsonElement> leads, string sort)
    {
        var descending = sort.StartsWith('-');
        var key = descending ? sort[1..] : sort;
        var written = leads.Select((l, i) => (l.Id(), i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var ascending = key == "estimatedValue"
            ? leads.OrderBy(Amount).ThenBy(l => l.Id(), StringComparer.Ordinal)
            : sort == "updatedAt"
                ? leads.OrderBy(l => Time(l, key)).ThenBy(l => written[l.Id()])
                : leads.OrderBy(l => Time(l, key)).ThenBy(l => l.Id(), StringComparer.Ordinal);
        var ids = ascending.Select(l => l.Id()).ToArray();
        return descending ? [.. ids.Reverse()] : ids;
    }

    private static decimal Amount(JsonElement lead) =>
        lead.GetProperty("deal").ValueKind == JsonValueKind.Null ? -1m : lead.GetProperty("deal").GetProperty("estimatedValue").GetProperty("amount").GetDecimal();

    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.Str(property), CultureInfo.InvariantCulture);

    private static string Query(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));

    private static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];
}

file static class ListLeadsRequests
{
    public static async Task<JsonElement> SendLeadAsync(
        this SenderClient sender,
        Guid partnerId,
        string type = "customerInquiry",
        bool contactRequested = false,
        string companyName = "Fabrikam Ltd",
        string contactName = "Ana Silva",
        string need = "Move 40 mailboxes")
    {
        var body = new
        {
            partnerId,
            type,
            customer = new { companyName, contactName, email = "ana@fabrikam.example", country = "PT" },
            need,
            contactRequested,
        };
        return await (await sender.Client.PostAsJsonAsync("/v1/leads", body)).ShouldBeAsync(HttpStatusCode.Created);
    }

    public static Task<JsonElement> ListAsync(this HttpClient client, string query) =>
        client.GetJsonAsync(query.Length == 0 ? "/v1/leads" : $"/v1/leads?{query}");

    public static JsonElement[] Items(this JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    public static string[] Ids(this JsonElement page) => [.. page.Items().Select(l => l.Id())];

    /// <summary>Follows nextLink from the first page until a page has none.</summary>
    public static async Task<List<JsonElement>> WalkAsync(this HttpClient client, string firstPage)
    {
        var pages = new List<JsonElement>();
        string? link = firstPage;
        while (link is not null)
        {
            Assert.True(pages.Count < 100, "nextLink never ran out");
            var page = await client.GetJsonAsync(link);
            pages.Add(page);
            link = page.TryGetProperty("nextLink", out var next) ? next.GetString() : null;
        }

        return pages;
    }
}
