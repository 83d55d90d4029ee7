using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// A sender sees only what is its business. Every read a sender can make of the leads it sent, in every
/// stage, holds only the members of the sender's representation, named here one by one (so a member added
/// later fails until someone decides a sender may see it), and none of the partner's own values appear
/// anywhere in the body. The partner's users still see all of it.
/// </summary>
public sealed class SenderViewTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    /// <summary>Every member of a lead as its sender reads it, as paths: <c>a.b</c> for a member, <c>a[]</c> for an element.</summary>
    private static readonly string[] SenderLead =
    [
        "id", "partnerId", "type", "status", "stage", "allowedActions",
        "sender", "sender.kind", "sender.id", "sender.name",
        "customer", "customer.companyName", "customer.contactName", "customer.email", "customer.phone",
        "customer.country", "customer.companySize", "customer.industry",
        "need", "campaignId", "externalId",
        "contactRequest", "contactRequest.requested", "contactRequest.state", "contactRequest.hotUntil",
        "receivedAt", "respondBy", "acceptedAt", "closedAt", "updatedAt",
        "decline", "decline.reason", "decline.notes",
        "outcome", "outcome.result", "outcome.closedOn",
        "etag",
        // A routed lead: how the partner was chosen, why, and the leads before and after it for the same request.
        "routing", "routing.mode", "routing.reroute", "routing.maxHops", "routing.hop", "routing.end",
        "match", "match.at", "match.score", "match.rank", "match.candidates", "match.components", "match.components[]",
        "match.components[].component", "match.components[].value", "match.components[].weight", "match.components[].explanation",
        "match.reasons", "match.reasons[]",
        "previousLeadId", "nextLeadId",
    ];

    private static readonly string[] SenderTimeline =
    [
        "items", "items[]", "items[].id", "items[].kind", "items[].at", "items[].actorKind", "items[].fromStatus", "items[].toStatus",
        "items[].changes", "items[].changes[]", "items[].changes[].field", "items[].changes[].before", "items[].changes[].after",
    ];

    private static readonly string[] Summary =
    [
        .. new[] { "marketplace", "qualified", "favorites" }
            .SelectMany(view => new[] { view, $"{view}.received", $"{view}.accepted", $"{view}.archived" }),
    ];

    /// <summary>The top-level members of a lead as a partner's user reads it, as before the sender had its own.</summary>
    private static readonly string[] PartnerLeadMembers =
    [
        "id", "partnerId", "type", "status", "stage", "allowedActions", "sender", "customer", "need", "campaignId", "externalId",
        "contactRequest", "receivedAt", "respondBy", "acceptedAt", "closedAt", "updatedAt", "deal", "team", "decline", "outcome",
        "favorite", "etag", "match",
    ];

    /// <summary>The changed fields a sender may see on a timeline entry, per kind; every other kind shows none.</summary>
    private static readonly Dictionary<string, string[]> SenderTimelineFields = new(StringComparer.Ordinal)
    {
        ["declined"] = ["reason", "notes"],
        ["won"] = ["closedOn"],
    };

    public static TheoryData<string> SenderReads => ["get", "list", "list-filtered", "list-paged", "timeline", "create", "summary"];

    [Theory]
    [MemberData(nameof(SenderReads))]
    public async Task Sender_ReadingTheLeadsItSent_GetsOnlyTheSendersMembersInEveryStage(string read)
    {
        var leads = await LeadsInEveryStageAsync();

        var answers = await SenderReadsAsync(leads, read);

        Assert.NotEmpty(answers);
        foreach (var (what, raw, body) in answers)
        {
            Assert.Empty(UnexpectedMembers(body, AllowedFor(read)).Select(p => $"{what}: {p}"));
            var leaked = leads.PrivateValues.Where(v => raw.Contains(v, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaked.Count == 0, $"{what} holds the partner's {string.Join(", ", leaked)}: {raw}");
        }
    }

    [Fact]
    public async Task Sender_ReadingALeadItSent_GetsWhatBecameOfIt()
    {
        var leads = await LeadsInEveryStageAsync();
        var sender = leads.Sender.Client;

        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (stage, lead) in leads.ByStage)
        {
            var response = await sender.GetAsync($"/v1/leads/{lead.Id()}");
            read[stage] = await response.ShouldBeAsync(HttpStatusCode.OK);
            Assert.Equal(response.Headers.ETag?.ToString(), read[stage].Str("etag"));
        }

        // Each stage's lead reads with its status (the keys are the status names), and a sender may do nothing in any of them.
        Assert.All(read, r => Assert.Equal(r.Key, r.Value.Str("status")));
        Assert.All(read.Values, l => Assert.Empty(l.Strings("allowedActions")));
        Assert.Equal("hot", read["received"].GetProperty("contactRequest").Str("state"));
        // The lead's campaign, as the sender sent it, not the one the partner put on its deal.
        Assert.All(read.Values, l => Assert.Equal("CMP-2026-11", l.Str("campaignId")));
        Assert.Equal(leads.ExternalIds["accepted"], read["accepted"].Str("externalId"));
        Assert.Equal(JsonValueKind.String, read["accepted"].GetProperty("acceptedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, read["accepted"].GetProperty("outcome").ValueKind);
        Assert.Equal("notAFit", read["declined"].GetProperty("decline").Str("reason"));
        Assert.Equal("We do not serve retail", read["declined"].GetProperty("decline").Str("notes"));
        Assert.Equal("won", read["won"].GetProperty("outcome").Str("result"));
        Assert.Equal(api.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), read["won"].GetProperty("outcome").Str("closedOn"));
        Assert.Equal("lost", read["lost"].GetProperty("outcome").Str("result"));
        Assert.Equal(JsonValueKind.Null, read["lost"].GetProperty("outcome").GetProperty("closedOn").ValueKind);
        Assert.Equal(read["expired"].Str("respondBy"), read["expired"].Str("closedAt"));
    }

    [Fact]
    public async Task Sender_ReadingATimeline_GetsOnlyTheStatusChangesWithoutNamingThePartnersPeople()
    {
        var leads = await LeadsInEveryStageAsync();
        var sender = leads.Sender.Client;

        var won = await sender.GetJsonAsync($"/v1/leads/{leads.ByStage["won"].Id()}/timeline");
        var declined = await sender.GetJsonAsync($"/v1/leads/{leads.ByStage["declined"].Id()}/timeline");
        var accepted = await sender.GetJsonAsync($"/v1/leads/{leads.ByStage["accepted"].Id()}/timeline");

        var wonEntries = won.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["received", "accepted", "won"], wonEntries.Select(e => e.Str("kind")));
        Assert.Equal(["sender", "user", "user"], wonEntries.Select(e => e.Str("actorKind")));
        Assert.Equal(["accepted", "won"], wonEntries.Select(e => e.Str("toStatus")).Skip(1));
        Assert.Empty(wonEntries[1].GetProperty("changes").EnumerateArray());
        var closedOn = Assert.Single(wonEntries[2].GetProperty("changes").EnumerateArray());
        Assert.Equal("closedOn", closedOn.Str("field"));
        Assert.Equal(
            [("reason", "notAFit"), ("notes", "We do not serve retail")],
            declined.GetProperty("items")[1].GetProperty("changes").EnumerateArray().Select(c => (c.Str("field"), c.Str("after"))));
        // The deal edit and the team member added are the partner's own work: not status changes.
        Assert.Equal(["received", "accepted"], accepted.GetProperty("items").EnumerateArray().Select(e => e.Str("kind")));
    }

    [Theory]
    [InlineData("estimatedValue")]
    [InlineData("-estimatedValue")]
    public async Task Sender_SortingByTheDealsValue_Returns400NamingSort(string sort)
    {
        var leads = await LeadsInEveryStageAsync();

        var response = await leads.Sender.Client.GetAsync($"/v1/leads?sort={Uri.EscapeDataString(sort)}");

        await response.ShouldFailValidationAsync("sort");
        Assert.Equal(HttpStatusCode.OK, (await leads.Partner.Admin.GetAsync($"/v1/leads?sort={Uri.EscapeDataString(sort)}")).StatusCode);
    }

    [Fact]
    public async Task Sender_ReadingTheSummary_CountsTheLeadsItSentAndNoFavorites()
    {
        var leads = await LeadsInEveryStageAsync();

        var senders = await leads.Sender.Client.GetJsonAsync("/v1/leads/summary");
        var readers = await leads.Partner.Reader.GetJsonAsync("/v1/leads/summary");

        Assert.Equal((1, 1, 4), Counts(senders, "marketplace"));
        Assert.Equal((0, 0, 0), Counts(senders, "qualified"));
        Assert.Equal((0, 0, 0), Counts(senders, "favorites"));
        Assert.Equal((0, 1, 0), Counts(readers, "favorites"));
    }

    [Fact]
    public async Task Partner_ReadingTheSameLeads_StillSeesTheDealTeamOutcomeStarsAndWholeTimeline()
    {
        var leads = await LeadsInEveryStageAsync();
        var partner = leads.Partner.ReferralsAdmin;

        var accepted = await partner.GetJsonAsync($"/v1/leads/{leads.ByStage["accepted"].Id()}");
        var won = await partner.GetJsonAsync($"/v1/leads/{leads.ByStage["won"].Id()}");
        var lost = await partner.GetJsonAsync($"/v1/leads/{leads.ByStage["lost"].Id()}");
        var list = await partner.GetJsonAsync("/v1/leads");
        var timeline = await partner.GetJsonAsync($"/v1/leads/{leads.ByStage["accepted"].Id()}/timeline");

        foreach (var lead in list.GetProperty("items").EnumerateArray().Concat([accepted, won, lost]))
        {
            Assert.Equal(PartnerLeadMembers.Order(StringComparer.Ordinal), lead.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal));
        }

        Assert.Equal(6, list.GetProperty("items").GetArrayLength());
        var deal = accepted.GetProperty("deal");
        Assert.Equal(Private.EditedNotes, deal.Str("notes"));
        Assert.Equal(Private.CrmId, deal.Str("crmId"));
        Assert.Equal(Private.DealCampaign, deal.Str("campaignId"));
        Assert.Equal(Private.DealName, deal.Str("dealName"));
        Assert.Equal([Private.ContactEmail, Private.MemberEmail], accepted.GetProperty("team").EnumerateArray().Select(m => m.Str("email")));
        Assert.True(accepted.GetProperty("favorite").GetBoolean());
        Assert.Equal(["edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"], accepted.Strings("allowedActions"));
        Assert.Equal(11500.55m, won.GetProperty("outcome").GetProperty("finalValue").GetProperty("amount").GetDecimal());
        Assert.Equal(Private.WonNotes, won.GetProperty("outcome").Str("notes"));
        Assert.Equal(Private.LostReason, lost.GetProperty("outcome").Str("lostReason"));
        Assert.Equal(Private.LostNotes, lost.GetProperty("outcome").Str("notes"));
        var entries = timeline.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["received", "accepted", "dealEdited", "teamMemberAdded"], entries.Select(e => e.Str("kind")));
        Assert.All(entries.Skip(1), e => Assert.Equal(Private.PartnerUser, e.GetProperty("actor").Str("name")));
        Assert.Contains(entries[2].GetProperty("changes").EnumerateArray(), c => c.Str("after") == Private.EditedNotes);
    }

    /// <summary>The reads a sender can make, each answer with a name for the failure message, its raw text and its JSON.</summary>
    private static async Task<List<(string What, string Raw, JsonElement Body)>> SenderReadsAsync(Leads leads, string read)
    {
        var sender = leads.Sender.Client;
        var answers = new List<(string, string, JsonElement)>();
        async Task Get(string path)
        {
            var response = await sender.GetAsync(path);
            answers.Add(($"GET {path}", await response.Content.ReadAsStringAsync(), await response.ShouldBeAsync(HttpStatusCode.OK)));
        }

        switch (read)
        {
            case "get":
                foreach (var lead in leads.ByStage.Values)
                {
                    await Get($"/v1/leads/{lead.Id()}");
                }

                break;
            case "list":
                await Get("/v1/leads");
                Assert.Equal(6, answers[0].Item3.GetProperty("items").GetArrayLength());
                break;
            case "list-filtered":
                foreach (var query in new[]
                {
                    "stage=received", "stage=accepted", "stage=archived", "status=won", "status=lost", "status=declined",
                    "status=expired", "view=marketplace", "view=favorites", "hot=true", "sort=updatedAt", "q=Fabrikam",
                    "updatedSince=2026-01-01T00:00:00Z",
                })
                {
                    await Get($"/v1/leads?{query}");
                }

                break;
            case "list-paged":
                // Each nextLink, cursor included, is what the sender sees too.
                for (var next = "/v1/leads?limit=1"; next is not null;)
                {
                    await Get(next);
                    next = answers[^1].Item3.TryGetProperty("nextLink", out var link) ? link.GetString() : null;
                }

                Assert.Equal(6, answers.Count);
                break;
            case "timeline":
                foreach (var lead in leads.ByStage.Values)
                {
                    await Get($"/v1/leads/{lead.Id()}/timeline");
                }

                break;
            case "create":
                // The first answers, and a retry of each create once the partner worked on the lead.
                answers.AddRange(leads.Created);
                foreach (var (stage, externalId) in leads.ExternalIds)
                {
                    var response = await sender.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(leads.Partner.PartnerId, externalId: externalId));
                    var body = await response.ShouldBeAsync(HttpStatusCode.OK);
                    Assert.Equal(leads.ByStage[stage].Id(), body.Id());
                    answers.Add(($"POST /v1/leads again ({stage})", await response.Content.ReadAsStringAsync(), body));
                }

                break;
            case "summary":
                await Get("/v1/leads/summary");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(read), read, "Not a read of this test.");
        }

        return answers;
    }

    private static HashSet<string> AllowedFor(string read) => read switch
    {
        "get" or "create" => [.. SenderLead],
        "list" or "list-filtered" or "list-paged" => ["items", "items[]", "nextLink", "deltaLink", .. SenderLead.Select(p => $"items[].{p}")],
        "timeline" => [.. SenderTimeline],
        _ => [.. Summary],
    };

    /// <summary>Every member and element of the body whose path is not allowed, and every timeline change of a field a sender may not see.</summary>
    private static IEnumerable<string> UnexpectedMembers(JsonElement body, HashSet<string> allowed)
    {
        foreach (var path in Paths(body, "").Where(p => !allowed.Contains(p)).Distinct())
        {
            yield return path;
        }

        if (!body.TryGetProperty("items", out var items) || !allowed.Contains("items[].actorKind"))
        {
            yield break;
        }

        foreach (var entry in items.EnumerateArray())
        {
            var visible = SenderTimelineFields.GetValueOrDefault(entry.Str("kind"), []);
            foreach (var change in entry.GetProperty("changes").EnumerateArray().Where(c => !visible.Contains(c.Str("field"))))
            {
                yield return $"a {entry.Str("kind")} entry's change of {change.Str("field")}";
            }
        }
    }

    private static IEnumerable<string> Paths(JsonElement element, string prefix) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(m =>
        {
            var path = prefix.Length == 0 ? m.Name : $"{prefix}.{m.Name}";
            return Paths(m.Value, path).Prepend(path);
        }),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => Paths(e, $"{prefix}[]").Prepend($"{prefix}[]")),
        _ => [],
    };

    private static (int Received, int Accepted, int Archived) Counts(JsonElement summary, string view)
    {
        var counts = summary.GetProperty(view);
        return (counts.GetProperty("received").GetInt32(), counts.GetProperty("accepted").GetInt32(), counts.GetProperty("archived").GetInt32());
    }

    /// <summary>
    /// A partner and a sender with one lead in each stage. The accepted lead has deal notes, a CRM id, a campaign
    /// of the deal, two team members and the stars of two of the partner's users; the won and lost ones carry a
    /// final value and notes. The partner's users act as "Rita Referrals", whose name must not reach the sender.
    /// </summary>
    private async Task<Leads> LeadsInEveryStageAsync()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var worker = partner.ReferralsAdmin;
        var byStage = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var externalIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new List<(string, string, JsonElement)>();

        async Task<JsonElement> Send(string stage, bool contactRequested = false)
        {
            externalIds[stage] = $"{stage}-{Guid.NewGuid():N}";
            var body = Api.NewLeadBody(partner.PartnerId, contactRequested: contactRequested, externalId: externalIds[stage]);
            var response = await sender.Client.PostAsJsonAsync("/v1/leads", body);
            var lead = await response.ShouldBeAsync(HttpStatusCode.Created);
            created.Add(($"POST /v1/leads ({stage})", await response.Content.ReadAsStringAsync(), lead));
            return lead;
        }

        async Task<JsonElement> Accepted(string stage)
        {
            var lead = await Send(stage);
            await (await worker.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Private.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
            return lead;
        }

        // Sent first, then the clock passes its respond-by time: expired for every reader, before any sweep.
        var expired = await Send("expired");
        api.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromHours(1));

        byStage["received"] = await Send("received", contactRequested: true);
        byStage["accepted"] = await Accepted("accepted");
        var accepted = byStage["accepted"].Id();
        await (await worker.PatchJsonAsync($"/v1/leads/{accepted}", JsonSerializer.Serialize(new { notes = Private.EditedNotes }))).ShouldBeAsync(HttpStatusCode.OK);
        await (await worker.PostAsJsonAsync($"/v1/leads/{accepted}/team", Private.MemberBody)).ShouldBeAsync(HttpStatusCode.Created);
        await (await worker.PutAsync($"/v1/leads/{accepted}/favorite", null)).ShouldBeAsync(HttpStatusCode.NoContent);
        await (await partner.Reader.PutAsync($"/v1/leads/{accepted}/favorite", null)).ShouldBeAsync(HttpStatusCode.NoContent);

        byStage["won"] = await Accepted("won");
        var wonBody = new
        {
            finalValue = new { amount = 11500.55m, currency = "EUR" },
            closedOn = api.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            notes = Private.WonNotes,
        };
        await (await worker.PostAsJsonAsync($"/v1/leads/{byStage["won"].Id()}/won", wonBody)).ShouldBeAsync(HttpStatusCode.OK);
        await (await worker.PutAsync($"/v1/leads/{byStage["won"].Id()}/favorite", null)).ShouldBeAsync(HttpStatusCode.NoContent);

        byStage["lost"] = await Accepted("lost");
        var lostBody = new { reason = Private.LostReason, notes = Private.LostNotes };
        await (await worker.PostAsJsonAsync($"/v1/leads/{byStage["lost"].Id()}/lost", lostBody)).ShouldBeAsync(HttpStatusCode.OK);

        byStage["declined"] = await Send("declined");
        await (await worker.PostAsJsonAsync($"/v1/leads/{byStage["declined"].Id()}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);
        byStage["expired"] = expired;

        // What only the partner knows besides the texts: its people's and its team members' ids.
        var privateIds = new List<string>();
        foreach (var lead in byStage.Values)
        {
            var full = await worker.GetJsonAsync($"/v1/leads/{lead.Id()}");
            privateIds.AddRange(full.GetProperty("team").EnumerateArray().Select(m => m.Id()));
            var timeline = await worker.GetJsonAsync($"/v1/leads/{lead.Id()}/timeline");
            privateIds.AddRange(timeline.GetProperty("items").EnumerateArray()
                .Where(e => e.GetProperty("actor").Str("kind") == "user").Select(e => e.GetProperty("actor").Str("id")));
        }

        Assert.NotEmpty(privateIds);
        return new Leads(partner, sender, byStage, externalIds, created, [.. Private.Values, .. privateIds.Distinct()]);
    }

    private sealed record Leads(
        PartnerClients Partner,
        SenderClient Sender,
        Dictionary<string, JsonElement> ByStage,
        Dictionary<string, string> ExternalIds,
        List<(string What, string Raw, JsonElement Body)> Created,
        string[] PrivateValues);

    /// <summary>The partner's own values on the leads: each distinct enough that finding it in a body is a leak, not chance.</summary>
    private static class Private
    {
        public const string DealName = "Private deal name Q7";
        public const string DealNotes = "Private deal notes Q7";
        public const string EditedNotes = "Edited private deal notes Q7";
        public const string CrmId = "CRM-PRIVATE-Q7";
        public const string DealCampaign = "DEAL-CMP-Q7";
        public const string CloseDate = "2031-07-19";
        public const string ContactName = "Li Wei Private";
        public const string ContactPhone = "+351 21 777 0001";
        public const string ContactEmail = "li.private@contoso.example";
        public const string MemberName = "Sam Shaw Private";
        public const string MemberPhone = "+351 21 777 0002";
        public const string MemberEmail = "sam.private@contoso.example";
        public const string WonNotes = "Private won notes Q7";
        public const string LostReason = "noBudget";
        public const string LostNotes = "Private lost notes Q7";
        public const string PartnerUser = "Rita Referrals";

        public static readonly string[] Values =
        [
            DealName, DealNotes, EditedNotes, CrmId, DealCampaign, CloseDate, "12345.67", ContactName, ContactPhone, ContactEmail,
            MemberName, MemberPhone, MemberEmail, "11500.55", WonNotes, LostReason, LostNotes, PartnerUser, "Rui Reader",
        ];

        public static readonly object AcceptBody = new
        {
            dealName = DealName,
            estimatedValue = new { amount = 12345.67m, currency = "EUR" },
            estimatedCloseDate = CloseDate,
            notes = DealNotes,
            crmId = CrmId,
            campaignId = DealCampaign,
            contacts = new[] { new { name = ContactName, phone = ContactPhone, email = ContactEmail } },
        };

        public static readonly object MemberBody = new { name = MemberName, phone = MemberPhone, email = MemberEmail };
    }
}
