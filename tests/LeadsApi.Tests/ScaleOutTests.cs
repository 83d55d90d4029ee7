using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Tests;

/// <summary>One more instance of the service, on a database another instance already runs on.</summary>
public sealed class InstanceApiFactory(string connectionString, bool realClock, IDictionary<string, string?> settings) : LeadsApiFactory
{
    protected override bool UsesFakeClock => !realClock;

    protected override IDictionary<string, string?> Settings => settings;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);

    public static async Task<InstanceApiFactory> StartAsync(string connectionString, bool realClock, IDictionary<string, string?> settings)
    {
        var instance = new InstanceApiFactory(connectionString, realClock, settings);
        await ((IAsyncLifetime)instance).InitializeAsync();
        return instance;
    }
}

/// <summary>Several instances on one database share the background work and never do any of it twice.</summary>
public sealed class ScaleOutTests
{
    private static readonly string[] Received = ["lead.received"];

    private static readonly Dictionary<string, string?> Delivering = new()
    {
        ["Webhooks:AllowInsecureLocalUrls"] = "true",
        ["Webhooks:RetrySchedule"] = "00:00:01,00:00:01,00:00:01",
        ["Webhooks:RetryJitter"] = "0",
        ["Webhooks:DispatchInterval"] = "00:00:00.050",
        ["Webhooks:RequestTimeout"] = "00:00:02",
        ["Webhooks:MaxConcurrentPerSubscription"] = "3",
        ["Webhooks:DispatchBatchSize"] = "5",
    };

    [Fact]
    public async Task TwoInstances_SweepingAndCommandingAtOnce_WriteEachExpiryOnce_WithOneEventPerRecipient()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Leads:ResponseWindow"] = "00:00:05", ["Leads:ExpirySweepBatchSize"] = "3" };
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: false, settings);
        await using var b = await InstanceApiFactory.StartAsync(database, realClock: false, settings);
        var partner = await a.NewPartnerAsync();
        var sender = await a.NewSenderAsync();
        var leads = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            leads.Add((await sender.CreateLeadAsync(partner.PartnerId)).Id());
        }

        a.Clock.Advance(TimeSpan.FromSeconds(6));
        b.Clock.Advance(TimeSpan.FromSeconds(6));
        var onB = b.ClientWithKey(partner.AdminKey);
        var work = new List<Task>
        {
            Task.Run(a.RunExpirySweepAsync),
            Task.Run(b.RunExpirySweepAsync),
        };
        work.AddRange(leads.Select((id, i) => Task.Run(async () =>
        {
            var client = i % 2 == 0 ? partner.Admin : onB;
            await (await client.PostAsJsonAsync($"/v1/leads/{id}/accept", Api.AcceptBody)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "lead-expired");
        })));
        await Task.WhenAll(work);

        var expired = await a.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.Type == "lead.expired")
            .GroupBy(e => new { e.LeadId, e.Recipient }).Select(g => g.Count()).ToListAsync());
        Assert.Equal(40, expired.Count);
        Assert.All(expired, count => Assert.Equal(1, count));
        var timeline = await a.WithDbAsync(db => db.Timeline.CountAsync(t => t.Kind == Domain.Leads.LeadChangeKind.Expired));
        Assert.Equal(20, timeline);
    }

    [Fact]
    public async Task TwoDispatchers_DeliverEveryEvent_OncePerSubscription()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var first = new ConcurrentBag<string>();
        var second = new ConcurrentBag<string>();
        await using var one = await WebhookReceiver.StartAsync(context => Record(context, first));
        await using var two = await WebhookReceiver.StartAsync(context => Record(context, second));
        await using var a = await InstanceApiFactory.StartAsync(database, realClock: true, Delivering);
        await using var b = await InstanceApiFactory.StartAsync(database, realClock: true, Delivering);
        var partner = await a.NewPartnerAsync();
        var sender = await a.NewSenderAsync();
        await Subscribe(partner.Admin, one);
        await Subscribe(b.ClientWithKey(partner.AdminKey), two);

        var onB = b.ClientWithKey(sender.ApiKey);
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            var response = await (i % 2 == 0 ? sender.Client : onB).PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId));
            await response.ShouldBeAsync(HttpStatusCode.Created);
        })));

        var events = (await partner.Reader.ReadAllAsync()).Events.Select(e => e.Id()).Order().ToList();
        Assert.Equal(30, events.Count);
        await Eventually(() => first.Count >= 30 && second.Count >= 30);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(events, first.Order());
        Assert.Equal(events, second.Order());
    }

    [Fact]
    public async Task ADispatcherStoppedMidBatch_LosesNothing_TheNextDeliversWithTheSameWebhookIds()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var hang = true;
        var started = new ConcurrentBag<string>();
        var delivered = new ConcurrentBag<string>();
        await using var receiver = await WebhookReceiver.StartAsync(async context =>
        {
            var id = context.Request.Headers["webhook-id"].ToString();
            if (Volatile.Read(ref hang))
            {
                started.Add(id);
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            delivered.Add(id);
        });
        var a = await InstanceApiFactory.StartAsync(database, realClock: true, Delivering);
        var partner = await a.NewPartnerAsync();
        var sender = await a.NewSenderAsync();
        await Subscribe(partner.Admin, receiver);
        for (var i = 0; i < 8; i++)
        {
            await sender.CreateLeadAsync(partner.PartnerId);
        }

        var events = (await partner.Reader.ReadAllAsync()).Events.Select(e => e.Id()).Order().ToList();
        await Eventually(() => !started.IsEmpty);
        await a.DisposeAsync();
        Volatile.Write(ref hang, false);

        await using var b = await InstanceApiFactory.StartAsync(database, realClock: true, Delivering);
        // The stopped instance's leases (twice the 2 s request timeout) must run out before the next one retries them; on a
        // loaded machine, with the second host's start-up, that has taken over 30 s (12-14 s alone).
        await Eventually(() => delivered.Distinct().Count() == events.Count, TimeSpan.FromSeconds(90));

        Assert.Equal(events, delivered.Distinct().Order());
        Assert.Subset(events.ToHashSet(), started.ToHashSet());
    }

    private static Task Record(Microsoft.AspNetCore.Http.HttpContext context, ConcurrentBag<string> ids)
    {
        ids.Add(context.Request.Headers["webhook-id"].ToString());
        return Task.CompletedTask;
    }

    private static async Task Subscribe(HttpClient client, WebhookReceiver receiver) =>
        await (await client.PostAsJsonAsync("/v1/webhooks", new { url = receiver.Address.ToString(), eventTypes = Received }))
            .ShouldBeAsync(HttpStatusCode.Created);

    private static async Task Eventually(Func<bool> done, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(30);
        var deadline = DateTimeOffset.UtcNow + limit;
        while (!done())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Not within {limit.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }
}
