using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Npgsql;

namespace LeadsApi.Tests;

public sealed class EventFeedTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task EveryChange_IsAnEvent_ForThePartner_WithTheLeadAndWhatChanged()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var id = lead.Id();
        await (await partner.Admin.PatchJsonAsync($"/v1/leads/{id}", """{"dealName":"Fabrikam move, phase 2"}""")).ShouldBeAsync(HttpStatusCode.OK);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/team", Api.TeamMemberBody)).ShouldBeAsync(HttpStatusCode.Created);
        var won = await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{id}/won", Api.WonBodyFor(lead))).ShouldBeAsync(HttpStatusCode.OK);

        var (events, _) = await partner.Reader.ReadAllAsync();

        Assert.Equal(["lead.received", "lead.accepted", "lead.dealUpdated", "lead.teamChanged", "lead.won"], events.About(id).Types());
        Assert.Equal([1, 2, 3, 4, 5], events.Select(e => e.GetProperty("leadVersion").GetInt32()));
        Assert.All(events, e => Assert.Equal(partner.PartnerId.ToString(), e.Str("partnerId")));
        Assert.All(events, e => Assert.Equal(7, Guid.Parse(e.Id()).Version));

        var accepted = events[1];
        Assert.Equal(("received", "accepted"), accepted.Changes()["status"]);
        Assert.Equal((null, "Fabrikam mailbox move"), accepted.Changes()["dealName"]);
        Assert.Equal("accepted", accepted.GetProperty("data").GetProperty("lead").Str("status"));

        var edited = events[2];
        Assert.Equal(("Fabrikam mailbox move", "Fabrikam move, phase 2"), edited.Changes()["dealName"]);
        Assert.False(edited.Changes().ContainsKey("status"));

        // The last event's lead is the lead as the partner reads it now, its ETag included.
        var last = events[^1].GetProperty("data").GetProperty("lead");
        Assert.Equal(won.Str("etag"), last.Str("etag"));
        Assert.Equal("won", last.Str("status"));
        Assert.Equal(1, last.GetProperty("team").GetArrayLength() - lead.GetProperty("team").GetArrayLength());
    }

    [Fact]
    public async Task TheSender_HearsWhereItsLeadWent_NeverThePartnersOwnWork()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var accepted = await sender.AcceptedLeadAsync(partner);
        await (await partner.Admin.PatchJsonAsync($"/v1/leads/{accepted.Id()}", """{"notes":"Secret pricing"}""")).ShouldBeAsync(HttpStatusCode.OK);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{accepted.Id()}/won", Api.WonBodyFor(accepted))).ShouldBeAsync(HttpStatusCode.OK);
        var declined = await sender.CreateLeadAsync(partner.PartnerId);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);

        var (events, _) = await sender.Client.ReadAllAsync();

        Assert.Equal(["lead.received", "lead.accepted", "lead.won"], events.About(accepted.Id()).Types());
        Assert.Equal(["lead.received", "lead.declined"], events.About(declined.Id()).Types());
        var raw = string.Join("\n", events.Select(e => e.GetRawText()));
        Assert.DoesNotContain("Secret pricing", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("CRM-991", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Li Wei", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("favorite", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"deal\"", raw, StringComparison.Ordinal);

        var decline = events.About(declined.Id()).Last();
        Assert.Equal((null, "notAFit"), decline.Changes()["reason"]);
        Assert.Equal((null, "We do not serve retail"), decline.Changes()["notes"]);
        Assert.Equal("notAFit", decline.GetProperty("data").GetProperty("lead").GetProperty("decline").Str("reason"));
        var win = events.About(accepted.Id()).Last();
        Assert.Equal(["status", "closedOn"], win.Changes().Keys);

        // And the partner's feed does not hold the sender's copies: each recipient reads its own.
        var (partnerEvents, _) = await partner.Reader.ReadAllAsync();
        Assert.Empty(partnerEvents.Select(e => e.Id()).Intersect(events.Select(e => e.Id())));
    }

    [Fact]
    public async Task AnotherPartnersEvents_AreNotInTheFeed()
    {
        var partner = await api.NewPartnerAsync();
        var other = await api.NewPartnerAsync("Northwind");
        await (await api.NewSenderAsync()).AcceptedLeadAsync(other);

        var (events, _) = await partner.Admin.ReadAllAsync();

        Assert.Empty(events);
    }

    [Fact]
    public async Task TheCursor_GoesOnWhereThePageEnded_AndAnEmptyPageKeepsIt()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        for (var i = 0; i < 3; i++)
        {
            await sender.AcceptedLeadAsync(partner);
        }

        var (paged, cursor) = await partner.Reader.ReadAllAsync(limit: 2);
        var (whole, _) = await partner.Reader.ReadAllAsync(limit: 200);
        Assert.Equal(6, paged.Count);
        Assert.Equal(whole.Select(e => e.Id()), paged.Select(e => e.Id()));

        var (none, same) = await partner.Reader.ReadAllAsync(cursor);
        Assert.Empty(none);
        var more = await sender.CreateLeadAsync(partner.PartnerId);
        var (next, _) = await partner.Reader.ReadAllAsync(same);
        Assert.Equal([more.Id()], next.Select(e => e.Str("leadId")));
    }

    [Fact]
    public async Task AnEventWhoseTransactionCommitsLate_IsNotSkipped()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var first = await sender.CreateLeadAsync(partner.PartnerId);
        var (_, cursor) = await partner.Reader.ReadAllAsync();

        // A writer takes its transaction id and writes an event, but has not committed yet ...
        await using var slow = new NpgsqlConnection(api.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        var lateId = Guid.CreateVersion7();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO leads.events (partner_id, id, recipient, recipient_id, type, occurred_at, lead_id, lead_version, payload)
            SELECT partner_id, @late, recipient, recipient_id, 'lead.dealUpdated', occurred_at, lead_id, lead_version,
                   jsonb_set(jsonb_set(payload::jsonb, '{id}', to_jsonb(@late::text)), '{type}', '"lead.dealUpdated"')::json
            FROM leads.events WHERE partner_id = @partner AND recipient = 'partner' AND lead_id = @lead
            """, slow, transaction))
        {
            insert.Parameters.AddWithValue("late", lateId);
            insert.Parameters.AddWithValue("partner", partner.PartnerId);
            insert.Parameters.AddWithValue("lead", Guid.Parse(first.Id()));
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        // ... while a later writer commits an event of its own.
        var second = await sender.CreateLeadAsync(partner.PartnerId);
        var (whileOpen, cursorWhileOpen) = await partner.Reader.ReadAllAsync(cursor);
        Assert.Empty(whileOpen);

        await transaction.CommitAsync();
        var (afterCommit, _) = await partner.Reader.ReadAllAsync(cursorWhileOpen);

        Assert.Equal([lateId.ToString(), second.Id()], afterCommit.Select(e => e.Str("type") == "lead.received" ? e.Str("leadId") : e.Id()));
    }

    [Fact]
    public async Task ConcurrentWriters_AReaderFollowingTheCursor_GetsEveryEventOnce()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        using var writing = new CancellationTokenSource();
        var seen = new List<JsonElement>();
        var reader = Task.Run(async () =>
        {
            string? cursor = null;
            while (!writing.IsCancellationRequested)
            {
                (var events, cursor) = await partner.Reader.ReadAllAsync(cursor, limit: 7);
                seen.AddRange(events);
            }

            (var rest, _) = await partner.Reader.ReadAllAsync(cursor, limit: 7);
            seen.AddRange(rest);
        });

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                var lead = await sender.CreateLeadAsync(partner.PartnerId);
                var action = (w + i) % 2 == 0 ? "accept" : "decline";
                var response = await partner.ReferralsAdmin.PostAsJsonAsync($"/v1/leads/{lead.Id()}/{action}", action == "accept" ? Api.AcceptBody : Api.DeclineBody);
                await response.ShouldBeAsync(HttpStatusCode.OK);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await writing.CancelAsync();
        await reader;

        var (all, _) = await partner.Admin.ReadAllAsync(limit: 200);
        Assert.Equal(96, all.Count);
        Assert.Equal(all.Select(e => e.Id()).Order(), seen.Select(e => e.Id()).Order());
    }

    [Theory]
    [InlineData("after=not-a-cursor", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("since=2026-01-01", "since")]
    public async Task BadParameters_AreValidationProblems_NamingThem(string query, string field)
    {
        var partner = await api.NewPartnerAsync();

        await (await partner.Reader.GetAsync($"/v1/events?{query}")).ShouldFailValidationAsync(field);
    }
}

/// <summary>Events are kept for an hour.</summary>
public sealed class ShortRetentionApiFactory : LeadsApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Events:Retention"] = "01:00:00" };
}

public sealed class EventRetentionTests(ShortRetentionApiFactory api) : IClassFixture<ShortRetentionApiFactory>
{
    [Fact]
    public async Task ACursorOlderThanTheRetention_Is410_WithItsCode()
    {
        var partner = await api.NewPartnerAsync();
        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        var (_, cursor) = await partner.Reader.ReadAllAsync();

        api.Clock.Advance(TimeSpan.FromMinutes(61));

        var problem = await (await partner.Reader.GetAsync($"/v1/events?after={cursor}")).ShouldBeProblemAsync(HttpStatusCode.Gone, "cursor-expired");
        Assert.Contains("updatedSince", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsOlderThanTheRetention_AreDeleted_AndACursorReadWithinItStillWorks()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(50));
        var (_, cursor) = await partner.Reader.ReadAllAsync();
        var recent = await sender.CreateLeadAsync(partner.PartnerId);
        api.Clock.Advance(TimeSpan.FromMinutes(20));

        await api.RunReminderSchedulerAsync();

        var (fromStart, _) = await partner.Reader.ReadAllAsync();
        Assert.Equal([recent.Id()], fromStart.Select(e => e.Str("leadId")));
        var (fromCursor, _) = await partner.Reader.ReadAllAsync(cursor);
        Assert.Equal([recent.Id()], fromCursor.Select(e => e.Str("leadId")));
    }
}
