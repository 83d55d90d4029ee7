using System.Net;
using System.Net.Http.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>The default windows (14 days to answer, hot for 72 hours) and reminders (72 h and 24 h before respondBy, 12 h before the hot window closes).</summary>
public sealed class ReminderTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AReceivedLead_IsRemindedOfAt72And24HoursBeforeRespondBy_OnceEach_AndOnlyToThePartner()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var lead = await sender.CreateLeadAsync(partner.PartnerId);
        var respondBy = lead.Time("respondBy");

        await MoveToAsync(respondBy - TimeSpan.FromHours(72) - Second);
        Assert.Empty(await RemindersAsync(partner, lead));

        await MoveToAsync(respondBy - TimeSpan.FromHours(72) + Second);
        await MoveToAsync(respondBy - TimeSpan.FromHours(30));
        var first = Assert.Single(await RemindersAsync(partner, lead));
        Assert.Equal("lead.expiring", first.Str("type"));
        var reminder = first.GetProperty("data").GetProperty("reminder");
        Assert.Equal(("respondBy", "PT72H"), (reminder.Str("deadline"), reminder.Str("before")));
        Assert.Equal(respondBy, reminder.Time("dueAt"));
        Assert.Equal(1, first.GetProperty("leadVersion").GetInt32());

        await MoveToAsync(respondBy - TimeSpan.FromHours(24) + Second);
        Assert.Equal(["PT72H", "PT24H"], (await RemindersAsync(partner, lead)).Select(r => r.GetProperty("data").GetProperty("reminder").Str("before")));
        Assert.DoesNotContain("lead.expiring", (await sender.Client.ReadAllAsync()).Events.Types());
    }

    [Fact]
    public async Task ASchedulerThatWasDown_SendsOnlyTheLatestReminderDue()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        await MoveToAsync(lead.Time("respondBy") - TimeSpan.FromHours(1));

        var reminder = Assert.Single(await RemindersAsync(partner, lead));
        Assert.Equal("PT24H", reminder.GetProperty("data").GetProperty("reminder").Str("before"));
    }

    [Fact]
    public async Task AHotLead_IsRemindedOf12HoursBeforeTheHotWindowCloses_AnAnsweredOneIsNotRemindedToAnswer()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var hot = await sender.CreateLeadAsync(partner.PartnerId, contactRequested: true);
        var cold = await sender.CreateLeadAsync(partner.PartnerId);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{hot.Id()}/accept", Api.AcceptBody)).ShouldBeAsync(HttpStatusCode.OK);
        var hotUntil = hot.GetProperty("contactRequest").Time("hotUntil");

        await MoveToAsync(hotUntil - TimeSpan.FromHours(12) - Second);
        Assert.Empty(await RemindersAsync(partner, hot));
        await MoveToAsync(hotUntil - TimeSpan.FromHours(12) + Second);

        var reminder = Assert.Single(await RemindersAsync(partner, hot));
        Assert.Equal("lead.hotExpiring", reminder.Str("type"));
        Assert.Equal(("hotUntil", "PT12H"), (reminder.GetProperty("data").GetProperty("reminder").Str("deadline"), reminder.GetProperty("data").GetProperty("reminder").Str("before")));
        Assert.Empty(await RemindersAsync(partner, cold));

        // The accepted lead is never reminded that it expires; the received one is.
        await MoveToAsync(hot.Time("respondBy") - TimeSpan.FromHours(1));
        Assert.Equal(["lead.hotExpiring"], (await RemindersAsync(partner, hot)).Types());
        Assert.Equal(["lead.expiring"], (await RemindersAsync(partner, cold)).Types());
    }

    private async Task MoveToAsync(DateTimeOffset time)
    {
        api.Clock.AdjustTime(time);
        await api.RunReminderSchedulerAsync();
    }

    private static async Task<List<System.Text.Json.JsonElement>> RemindersAsync(PartnerClients partner, System.Text.Json.JsonElement lead) =>
        [.. (await partner.Reader.ReadAllAsync()).Events.About(lead.Id()).Where(e => e.Str("type") is "lead.expiring" or "lead.hotExpiring")];
}
