using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>Leads must be answered within five seconds; the sweep claims four leads per transaction.</summary>
public sealed class ShortResponseWindowApiFactory : LeadsApiFactory
{
    public static readonly TimeSpan ResponseWindow = TimeSpan.FromSeconds(5);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Leads:ResponseWindow"] = "00:00:05",
        ["Leads:ExpirySweepBatchSize"] = "4",
    };
}

/// <summary>A contact request is hot for thirty seconds.</summary>
public sealed class ShortHotWindowApiFactory : LeadsApiFactory
{
    public static readonly TimeSpan HotWindow = TimeSpan.FromSeconds(30);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Leads:HotWindow"] = "00:00:30",
    };
}

/// <summary>The background sweep runs every second of the fake clock; leads must be answered within five seconds.</summary>
public sealed class SweepingApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Leads:ResponseWindow"] = "00:00:05",
        ["Leads:ExpirySweepInterval"] = "00:00:01",
    };
}

public sealed class ExpiryTests(ShortResponseWindowApiFactory api) : IClassFixture<ShortResponseWindowApiFactory>
{
    private static readonly TimeSpan Window = ShortResponseWindowApiFactory.ResponseWindow;

    [Fact]
    public async Task ReceivedLead_JustBeforeRespondBy_CanStillBeAnswered()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        api.Clock.Advance(Window - TimeSpan.FromMicroseconds(1));

        var read = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("received", read.Str("status"));
        Assert.Equal(["accept", "decline"], read.Strings("allowedActions"));
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReceivedLead_AtRespondBy_ReadsExpiredEverywhereBeforeAnySweep()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var id = lead.Id();

        api.Clock.Advance(Window);

        var read = await partner.Reader.GetJsonAsync($"/v1/leads/{id}");
        Assert.Equal("expired", read.Str("status"));
        Assert.Equal("archived", read.Str("stage"));
        Assert.Empty(read.Strings("allowedActions"));
        Assert.Equal(lead.Str("respondBy"), read.Str("closedAt"));
        Assert.Equal([id], await IdsAsync(partner.Admin, "status=expired"));
        Assert.Equal([id], await IdsAsync(partner.Admin, "stage=archived"));
        Assert.Empty(await IdsAsync(partner.Admin, "stage=received"));
        Assert.Empty(await IdsAsync(partner.Admin, "status=received"));
        var listed = (await partner.Admin.GetJsonAsync("/v1/leads")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("expired", listed.Str("status"));
        Assert.Empty(listed.Strings("allowedActions"));
        var marketplace = (await partner.Admin.GetJsonAsync("/v1/leads/summary")).GetProperty("marketplace");
        Assert.Equal(0, marketplace.GetProperty("received").GetInt32());
        Assert.Equal(1, marketplace.GetProperty("archived").GetInt32());
        // Nothing has written the expiry yet: all of the above is computed at read time.
        Assert.Equal(LeadStatus.Received, await StoredStatusAsync(id));
    }

    [Theory]
    [InlineData("accept", false)]
    [InlineData("decline", false)]
    [InlineData("edit", false)]
    [InlineData("addTeamMember", false)]
    [InlineData("removeTeamMember", false)]
    [InlineData("markWon", false)]
    [InlineData("markLost", false)]
    [InlineData("accept", true)]
    [InlineData("decline", true)]
    [InlineData("edit", true)]
    [InlineData("addTeamMember", true)]
    [InlineData("removeTeamMember", true)]
    [InlineData("markWon", true)]
    [InlineData("markLost", true)]
    public async Task Command_OnExpiredLead_Returns409LeadExpired_AndTheExpiryIsWrittenOnce(string command, bool afterSweep)
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(Window);
        if (afterSweep)
        {
            await api.RunExpirySweepAsync();
            Assert.Equal(LeadStatus.Expired, await StoredStatusAsync(lead.Id()));
        }

        var response = await SendCommandAsync(partner.Admin, lead.Id(), command);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "lead-expired");
        Assert.Equal("expired", problem.Str("currentStatus"));
        Assert.Empty(problem.Strings("allowedActions"));
        // Whoever met the expiry first (the sweep, or this command) wrote it down, once; the command changed nothing else.
        Assert.Equal(LeadStatus.Expired, await StoredStatusAsync(lead.Id()));
        Assert.Equal(["received", "expired"], await TimelineKindsAsync(partner.Admin, lead.Id()));
        var (events, _) = await partner.Admin.ReadAllAsync();
        Assert.Equal(["lead.received", "lead.expired"], events.About(lead.Id()).Types());
        var after = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("\"2-0\"", after.Str("etag"));

        await (await SendCommandAsync(partner.Admin, lead.Id(), command)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "lead-expired");
        // A later sweep finds nothing of this lead to write (it may expire other tests' leads, which the clock made due).
        await api.RunExpirySweepAsync();
        Assert.Equal(["received", "expired"], await TimelineKindsAsync(partner.Admin, lead.Id()));
        Assert.Equal(["lead.received", "lead.expired"], (await partner.Admin.ReadAllAsync()).Events.About(lead.Id()).Types());
    }

    [Fact]
    public async Task Sweep_WritesTheExpiryOnce_WithOneSystemTimelineEntry()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var id = Guid.Parse(lead.Id());
        api.Clock.Advance(Window);
        var readBeforeSweep = await partner.Admin.GetJsonAsync($"/v1/leads/{id}");

        Assert.True(await api.RunExpirySweepAsync() >= 1);

        var row = await api.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == id));
        Assert.Equal(LeadStatus.Expired, row.Status);
        Assert.Equal(row.RespondBy, row.ClosedAt);
        var timeline = await TimelineAsync(partner.Admin, lead.Id());
        Assert.Equal(["received", "expired"], timeline.Select(e => e.Str("kind")));
        var expiry = timeline[1];
        Assert.Equal("system", expiry.GetProperty("actor").Str("kind"));
        Assert.Equal("received", expiry.Str("fromStatus"));
        Assert.Equal("expired", expiry.Str("toStatus"));
        var readAfterSweep = await partner.Admin.GetJsonAsync($"/v1/leads/{id}");
        Assert.Equal("expired", readAfterSweep.Str("status"));
        Assert.Equal(readBeforeSweep.Str("closedAt"), readAfterSweep.Str("closedAt"));
        Assert.Equal([lead.Id()], await IdsAsync(partner.Admin, "status=expired"));
        Assert.Equal(1, (await partner.Admin.GetJsonAsync("/v1/leads/summary")).GetProperty("marketplace").GetProperty("archived").GetInt32());

        await api.RunExpirySweepAsync();
        api.Clock.Advance(Window);
        await api.RunExpirySweepAsync();

        Assert.Equal(["received", "expired"], await TimelineKindsAsync(partner.Admin, lead.Id()));
        Assert.Equal(1, await ExpiredEntriesAsync([id]));
    }

    [Fact]
    public async Task SweptExpiry_WritesTheSameTimelineAndEvents_AsAnExpiryACommandMeets()
    {
        // The sweep writes its batches set-based; a command that meets an unwritten expiry saves it through EF Core. Both
        // must leave the same record: two leads received at the same instant, one expired each way.
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var swept = (await sender.CreateLeadAsync(partner.PartnerId)).Id();
        var met = (await sender.CreateLeadAsync(partner.PartnerId)).Id();
        api.Clock.Advance(Window);

        await (await SendCommandAsync(partner.Admin, met, "accept")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "lead-expired");
        Assert.True(await api.RunExpirySweepAsync() >= 1);

        Assert.Equal(Comparable(await TimelineAsync(partner.Admin, met)), Comparable(await TimelineAsync(partner.Admin, swept)));
        foreach (var reader in new[] { partner.Admin, sender.Client })
        {
            var events = (await reader.ReadAllAsync()).Events;
            var (sweptEvents, metEvents) = (events.About(swept).ToList(), events.About(met).ToList());
            Assert.Equal(["lead.received", "lead.expired"], sweptEvents.Types());
            Assert.Equal(Comparable(metEvents), Comparable(sweptEvents));
        }

        // The GETs agree too, once the lead ids are set aside.
        Assert.Equal(
            Comparable([await partner.Admin.GetJsonAsync($"/v1/leads/{met}")]),
            Comparable([await partner.Admin.GetJsonAsync($"/v1/leads/{swept}")]));

        // Each JSON with the leads' own ids, the events' ids and the leads' positions (sequence numbers) blanked.
        string Comparable(IEnumerable<JsonElement> items) => string.Join("\n", items.Select(item => item.GetRawText()
            .Replace(swept, "LEAD", StringComparison.Ordinal).Replace(met, "LEAD", StringComparison.Ordinal)))
            is var text ? System.Text.RegularExpressions.Regex.Replace(text, "\"(id|self|externalId)\":\"[^\"]*\"", "\"$1\":\"-\"") : "";
    }

    [Fact]
    public async Task TransitionBatch_RefusesALeadThatChangedMoreThanATransition_AndWritesNothing()
    {
        var partner = await api.NewPartnerAsync();
        var id = Guid.Parse((await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId)).Id());

        var refused = await api.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var lead = await db.Leads.SingleAsync(l => l.Id == id);
            lead.Accept(new Acceptance("A deal", new Money(1000m, "EUR"), new DateOnly(2030, 1, 1), null, null, null, []), Actor.System, api.Clock.GetUtcNow());
            var outbox = api.Services.GetRequiredService<Events.OutboxWriter>();
            return await Assert.ThrowsAsync<InvalidOperationException>(() => Persistence.TransitionBatch.WriteAsync(db, outbox, [lead], CancellationToken.None));
        });

        Assert.Contains("SaveChangesAsync", refused.Message, StringComparison.Ordinal);
        Assert.Equal(LeadStatus.Received, await StoredStatusAsync(id.ToString()));
        Assert.Equal(["received"], await TimelineKindsAsync(partner.Admin, id.ToString()));

        // The class shares one clock and database: answer the lead, so no later test's sweep finds it due.
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConcurrentSweeps_OverManyDueLeads_ExpireEachLeadExactlyOnce()
    {
        // Let earlier tests' leads fall due and be written, so the counts below are this test's alone.
        api.Clock.Advance(Window);
        await api.RunExpirySweepAsync();
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(Guid.Parse((await sender.CreateLeadAsync(partner.PartnerId, i % 2 == 0 ? "customerInquiry" : "salesQualified")).Id()));
        }

        api.Clock.Advance(Window);

        var expired = await Task.WhenAll(api.RunExpirySweepAsync(), api.RunExpirySweepAsync());

        Assert.Equal(30, expired.Sum());
        var statuses = await api.WithDbAsync(db => db.Leads.AsNoTracking()
            .Where(l => ids.Contains(l.Id)).Select(l => l.Status).ToListAsync());
        Assert.Equal(30, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(LeadStatus.Expired, s));
        Assert.Equal(30, await ExpiredEntriesAsync(ids));
        var perLead = await api.WithDbAsync(db => db.Timeline.AsNoTracking()
            .Where(e => ids.Contains(e.LeadId) && e.Kind == LeadChangeKind.Expired)
            .GroupBy(e => e.LeadId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(30, perLead.Count);
        Assert.All(perLead, count => Assert.Equal(1, count));

        var again = await Task.WhenAll(api.RunExpirySweepAsync(), api.RunExpirySweepAsync());

        Assert.Equal(0, again.Sum());
        Assert.Equal(30, await ExpiredEntriesAsync(ids));
    }

    [Fact]
    public async Task AcceptedLead_NeverExpires()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var accepted = await sender.AcceptedLeadAsync(partner);
        var declined = await sender.CreateLeadAsync(partner.PartnerId);
        (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).StatusCode.ShouldBe(HttpStatusCode.OK);

        api.Clock.Advance(Window * 3);
        await api.RunExpirySweepAsync();

        var read = await partner.Admin.GetJsonAsync($"/v1/leads/{accepted.Id()}");
        Assert.Equal("accepted", read.Str("status"));
        Assert.Equal(["edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"], read.Strings("allowedActions"));
        Assert.Equal(LeadStatus.Accepted, await StoredStatusAsync(accepted.Id()));
        Assert.Equal(["received", "accepted"], await TimelineKindsAsync(partner.Admin, accepted.Id()));
        Assert.Equal(LeadStatus.Declined, await StoredStatusAsync(declined.Id()));
        Assert.Equal(["received", "declined"], await TimelineKindsAsync(partner.Admin, declined.Id()));
        Assert.Empty(await IdsAsync(partner.Admin, "status=expired"));
        Assert.Equal([accepted.Id()], await IdsAsync(partner.Admin, "stage=accepted"));
        await (await partner.Admin.PatchJsonAsync($"/v1/leads/{accepted.Id()}", """{ "notes": "Still working it" }""")).ShouldBeAsync(HttpStatusCode.OK);
    }

    private async Task<LeadStatus> StoredStatusAsync(string id)
    {
        var leadId = Guid.Parse(id);
        return await api.WithDbAsync(db => db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => l.Status).SingleAsync());
    }

    private Task<int> ExpiredEntriesAsync(List<Guid> ids) =>
        api.WithDbAsync(db => db.Timeline.AsNoTracking().CountAsync(e => ids.Contains(e.LeadId) && e.Kind == LeadChangeKind.Expired));

    private static Task<HttpResponseMessage> SendCommandAsync(HttpClient client, string id, string command) => command switch
    {
        "accept" => client.PostAsJsonAsync($"/v1/leads/{id}/accept", Api.AcceptBody),
        "decline" => client.PostAsJsonAsync($"/v1/leads/{id}/decline", Api.DeclineBody),
        "edit" => client.PatchJsonAsync($"/v1/leads/{id}", """{ "dealName": "Too late" }"""),
        "addTeamMember" => client.PostAsJsonAsync($"/v1/leads/{id}/team", new { name = "Sam Shaw" }),
        "removeTeamMember" => client.DeleteAsync($"/v1/leads/{id}/team/{Guid.NewGuid()}"),
        "markWon" => client.PostAsJsonAsync($"/v1/leads/{id}/won", Api.WonBody),
        "markLost" => client.PostAsJsonAsync($"/v1/leads/{id}/lost", Api.LostBody),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not a command."),
    };

    internal static async Task<string[]> IdsAsync(HttpClient client, string query) =>
        [.. (await client.GetJsonAsync($"/v1/leads?{query}")).GetProperty("items").EnumerateArray().Select(l => l.Id())];

    internal static async Task<JsonElement[]> TimelineAsync(HttpClient client, string id) =>
        [.. (await client.GetJsonAsync($"/v1/leads/{id}/timeline")).GetProperty("items").EnumerateArray()];

    internal static async Task<string[]> TimelineKindsAsync(HttpClient client, string id) =>
        [.. (await TimelineAsync(client, id)).Select(e => e.Str("kind"))];
}

public sealed class HotWindowExpiryTests(ShortHotWindowApiFactory api) : IClassFixture<ShortHotWindowApiFactory>
{
    [Fact]
    public async Task ContactRequest_TurnsFromHotToFollowUpWhenTheConfiguredHotWindowPasses()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId, contactRequested: true);
        var receivedAt = DateTimeOffset.Parse(lead.Str("receivedAt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("hot", lead.GetProperty("contactRequest").Str("state"));
        Assert.Equal(
            receivedAt + ShortHotWindowApiFactory.HotWindow,
            DateTimeOffset.Parse(lead.GetProperty("contactRequest").Str("hotUntil"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([lead.Id()], await ExpiryTests.IdsAsync(partner.Admin, "hot=true"));

        api.Clock.Advance(ShortHotWindowApiFactory.HotWindow);

        var read = await partner.Admin.GetJsonAsync($"/v1/leads/{lead.Id()}");
        Assert.Equal("followUp", read.GetProperty("contactRequest").Str("state"));
        Assert.Equal("received", read.Str("status"));
        Assert.Equal(["accept", "decline"], read.Strings("allowedActions"));
        Assert.Empty(await ExpiryTests.IdsAsync(partner.Admin, "hot=true"));
        Assert.Equal([lead.Id()], await ExpiryTests.IdsAsync(partner.Admin, "hot=false"));
    }
}

public sealed class BackgroundExpiryTests(SweepingApiFactory api) : IClassFixture<SweepingApiFactory>
{
    [Fact]
    public async Task BackgroundSweep_WritesTheExpiryOnceTheClockPassesRespondBy()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var id = Guid.Parse(lead.Id());

        api.Clock.Advance(TimeSpan.FromSeconds(6));

        // Waits for the hosted service to act on the tick; the bound is generous, not a speed target.
        var waited = Stopwatch.StartNew();
        var status = LeadStatus.Received;
        while (status != LeadStatus.Expired && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            status = await api.WithDbAsync(db => db.Leads.AsNoTracking().Where(l => l.Id == id).Select(l => l.Status).SingleAsync());
        }

        Assert.Equal(LeadStatus.Expired, status);
        var timeline = await ExpiryTests.TimelineAsync(partner.Admin, lead.Id());
        Assert.Equal(["received", "expired"], timeline.Select(e => e.Str("kind")));
        Assert.Equal("system", timeline[1].GetProperty("actor").Str("kind"));
    }
}
