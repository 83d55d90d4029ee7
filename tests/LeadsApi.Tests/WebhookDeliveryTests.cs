using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace LeadsApi.Tests;

/// <summary>
/// The service on the real clock with its dispatcher running: webhooks to loopback allowed (the switch for local
/// development and tests), retries after 1 s each, no jitter, a subscription disabled after failing for 4 s.
/// </summary>
public sealed class WebhookApiFactory : LeadsApiFactory
{
    protected override bool UsesFakeClock => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowInsecureLocalUrls"] = "true",
        ["Webhooks:RetrySchedule"] = "00:00:01,00:00:01,00:00:01,00:00:01,00:00:01,00:00:01,00:00:01,00:00:01",
        ["Webhooks:RetryJitter"] = "0",
        ["Webhooks:DisableAfterFailingFor"] = "00:00:04",
        ["Webhooks:DispatchInterval"] = "00:00:00.050",
        ["Webhooks:RequestTimeout"] = "00:00:02",
    };
}

public sealed class WebhookDeliveryTests(WebhookApiFactory api) : IClassFixture<WebhookApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnAcceptedLead_ArrivesSigned_AsTheFeedHasIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(200));
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver, eventTypes: ["lead.accepted"]);

        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);

        var delivery = (await WaitForAsync(receiver, 1)).Single();
        await OpensslSignature.AssertSignedAsync(delivery, webhook.Str("secret"));
        var message = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("lead.accepted", message.Str("type"));
        Assert.Equal(lead.Id(), message.Str("leadId"));
        Assert.Equal(message.Id(), delivery.Headers["webhook-id"]);
        Assert.Equal("application/json", delivery.Headers["Content-Type"].Split(';')[0]);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(delivery.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var (feed, _) = await partner.Reader.ReadAllAsync();
        Assert.Equal(feed.Single(e => e.Str("type") == "lead.accepted").GetRawText(), message.GetRawText());
    }

    [Fact]
    public async Task AFailingReceiver_GetsTheRetries_OnTheSchedule_WithTheSameWebhookId()
    {
        var calls = 0;
        await using var receiver = await WebhookReceiver.StartAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) <= 2 ? 500 : 204;
            return Task.CompletedTask;
        });
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver, eventTypes: ["lead.received"]);

        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var attempts = await WaitForAsync(receiver, 3);
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"]).Distinct());
        foreach (var attempt in attempts)
        {
            await OpensslSignature.AssertSignedAsync(attempt, webhook.Str("secret"));
        }

        var log = await WaitUntilAsync(partner.Admin, $"/v1/webhooks/{webhook.Id()}/deliveries",
            page => page.GetProperty("items")[0].Str("state") == "delivered");
        var delivery = log.GetProperty("items").EnumerateArray().Single();
        var tried = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 204], tried.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(delivery.Str("messageId"), attempts[0].Headers["webhook-id"]);
        // The configured schedule: a second between attempts (and well under the default five).
        var gaps = tried.Zip(tried.Skip(1), (a, b) => b.Time("at") - a.Time("at")).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3)));
        Assert.NotNull(tried[0].GetProperty("error").GetString());

        var read = await partner.Admin.GetJsonAsync($"/v1/webhooks/{webhook.Id()}");
        Assert.Equal(0, read.GetProperty("pendingDeliveries").GetInt32());
        Assert.Equal(500, read.GetProperty("lastFailure").GetProperty("statusCode").GetInt32());
        Assert.True(read.Time("lastSuccessAt") > read.GetProperty("lastFailure").Time("at"));
    }

    [Fact]
    public async Task A410_DisablesTheWebhook_AndSaysWhy()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(410));
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver);

        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var read = await WaitUntilAsync(partner.Admin, $"/v1/webhooks/{webhook.Id()}", w => !w.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", read.Str("disabledReason"), StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task AWebhookFailingForTooLong_IsDisabled_AndSaysWhy()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(503));
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver);

        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var read = await WaitUntilAsync(partner.Admin, $"/v1/webhooks/{webhook.Id()}", w => !w.GetProperty("enabled").GetBoolean());
        Assert.Contains("failed for", read.Str("disabledReason"), StringComparison.Ordinal);
        Assert.InRange(receiver.Requests.Count, 5, 7);

        // Enabled again, it delivers what is still pending.
        var enabled = await (await partner.Admin.PatchJsonAsync($"/v1/webhooks/{webhook.Id()}", """{"enabled":true}""")).ShouldBeAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledReason").ValueKind);
    }

    [Fact]
    public async Task ASender_HearsOnlyWhatConcernsIt_AndTheFilterHolds()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(200));
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var webhook = await CreateAsync(sender.Client, receiver, eventTypes: ["lead.accepted", "lead.declined", "lead.dealUpdated"]);

        var accepted = await sender.AcceptedLeadAsync(partner);
        await (await partner.Admin.PatchJsonAsync($"/v1/leads/{accepted.Id()}", """{"notes":"Secret pricing"}""")).ShouldBeAsync(HttpStatusCode.OK);
        var declined = await sender.CreateLeadAsync(partner.PartnerId);
        await (await partner.Admin.PostAsJsonAsync($"/v1/leads/{declined.Id()}/decline", Api.DeclineBody)).ShouldBeAsync(HttpStatusCode.OK);

        var received = await WaitForAsync(receiver, 2);
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        var messages = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["lead.accepted", "lead.declined"], messages.Select(m => m.Str("type")).Order());
        Assert.All(received, r => Assert.DoesNotContain("CRM-991", System.Text.Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        await OpensslSignature.AssertSignedAsync(received[0], webhook.Str("secret"));
    }

    [Fact]
    public async Task ARotatedSecret_SignsBeside_TheOldOne_ForTheOverlap()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(200));
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver, eventTypes: ["lead.received"]);

        var rotated = await (await partner.Admin.PostAsync($"/v1/webhooks/{webhook.Id()}/rotate-secret", null)).ShouldBeAsync(HttpStatusCode.OK);
        Assert.NotEqual(webhook.Str("secret"), rotated.Str("secret"));
        Assert.InRange(rotated.Time("previousSecretExpiresAt"), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);

        var delivery = (await WaitForAsync(receiver, 1)).Single();
        await OpensslSignature.AssertSignedAsync(delivery, rotated.Str("secret"), webhook.Str("secret"));
    }

    [Fact]
    public async Task ATest_IsSentAtOnce_Redeliver_SendsItAgain_AndReplay_ResendsWhatWasMissed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer(200));
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var test = await (await partner.Admin.PostAsync($"/v1/webhooks/{webhook.Id()}/test", null)).ShouldBeAsync(HttpStatusCode.Accepted);
        var first = (await WaitForAsync(receiver, 1)).Single();
        Assert.Equal("webhook.test", JsonDocument.Parse(first.Body).RootElement.Str("type"));
        Assert.Equal(test.Str("messageId"), first.Headers["webhook-id"]);

        await (await partner.Admin.PostAsync($"/v1/webhooks/{webhook.Id()}/deliveries/{test.Id()}/redeliver", null)).ShouldBeAsync(HttpStatusCode.Accepted);
        var again = await WaitForAsync(receiver, 2);
        Assert.Equal(first.Headers["webhook-id"], again[1].Headers["webhook-id"]);

        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var events = (await WaitForAsync(receiver, 4)).Skip(2).Select(r => r.Headers["webhook-id"]).Order().ToList();
        var replay = await (await partner.Admin.PostAsync($"/v1/webhooks/{webhook.Id()}/replay?since={Uri.EscapeDataString(since.ToString("O"))}", null))
            .ShouldBeAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, replay.GetProperty("queued").GetInt32());
        var replayed = (await WaitForAsync(receiver, 6)).Skip(4).Select(r => r.Headers["webhook-id"]).Order().ToList();
        Assert.Equal(events, replayed);
        Assert.All((await partner.Reader.ReadAllAsync()).Events.About(lead.Id()), e => Assert.Contains(e.Id(), events));
    }

    [Fact]
    public async Task ASlowReceiver_HoldsAFewSlots_AndTheOthersGoOn()
    {
        var inFlight = 0;
        var most = 0;
        using var release = new CancellationTokenSource();
        await using var slow = await WebhookReceiver.StartAsync(async context =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Interlocked.Decrement(ref inFlight);
        });
        await using var fast = await WebhookReceiver.StartAsync(Answer(200));
        var slowPartner = await api.NewPartnerAsync();
        var fastPartner = await api.NewPartnerAsync();
        await CreateAsync(slowPartner.Admin, slow);
        await CreateAsync(fastPartner.Admin, fast);
        var sender = await api.NewSenderAsync();

        for (var i = 0; i < 12; i++)
        {
            await sender.CreateLeadAsync(slowPartner.PartnerId);
        }

        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await sender.CreateLeadAsync(fastPartner.PartnerId);
        }

        await WaitForAsync(fast, 5);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3), "the fast receiver waited behind the slow one");
        await WaitForAsync(slow, 12);
        Assert.InRange(most, 1, 4);
    }

    [Fact]
    public async Task DeletingAWebhook_WhileAnAttemptIsRecorded_WaitsForIt_AndNeverDeadlocks()
    {
        using var answer = new SemaphoreSlim(0);
        await using var receiver = await WebhookReceiver.StartAsync(async context =>
        {
            await answer.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 204;
        });
        var partner = await api.NewPartnerAsync();
        var webhook = await CreateAsync(partner.Admin, receiver);
        await (await partner.Admin.PostAsync($"/v1/webhooks/{webhook.Id()}/test", null)).ShouldBeAsync(HttpStatusCode.Accepted);
        await WaitForAsync(receiver, 1);

        await using var monitor = new NpgsqlConnection(api.ConnectionString);
        await monitor.OpenAsync();
        var deadlocksBefore = await DeadlocksAsync(monitor);

        // Another session holds the subscription's row, so the delete and the recording of the attempt both queue for
        // it, the delete first. Had the attempt's transaction locked its delivery by then (it did, before it took the
        // subscription's row first), the delete's cascade would wait for the attempt and the attempt for the delete:
        // PostgreSQL breaks the cycle by failing one of them, the delete (a 503) or the attempt's record.
        await using var holder = new NpgsqlConnection(api.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM leads.webhook_subscriptions WHERE id = $1 FOR NO KEY UPDATE", holder, transaction)
        {
            Parameters = { new() { Value = Guid.Parse(webhook.Id()) } },
        })
        {
            await lockRow.ExecuteScalarAsync();
        }

        var waitingForTheRow = "wait_event_type = 'Lock' AND query LIKE '%webhook_subscriptions%'";
        var delete = Task.Run(() => partner.Admin.DeleteAsync($"/v1/webhooks/{webhook.Id()}"));
        await PoolSaturationTests.WaitUntilAsync(async () => await PoolSaturationTests.CountAsync(monitor, waitingForTheRow) == 1);
        answer.Release();
        await PoolSaturationTests.WaitUntilAsync(async () => await PoolSaturationTests.CountAsync(monitor, waitingForTheRow) == 2);
        // Past deadlock_timeout (1 s): a wait that closes a cycle is detected, not just slow.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await transaction.CommitAsync();

        await (await delete).ShouldBeAsync(HttpStatusCode.NoContent);
        await (await partner.Admin.GetAsync($"/v1/webhooks/{webhook.Id()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "webhook-not-found");
        // A failed backend reports its statistics within about a second of going idle.
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(deadlocksBefore, await DeadlocksAsync(monitor));
            await Task.Delay(100);
        }
    }

    private static async Task<long> DeadlocksAsync(NpgsqlConnection connection)
    {
        await using var read = new NpgsqlCommand("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static Func<HttpContext, Task> Answer(int status) => context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, WebhookReceiver receiver, string[]? eventTypes = null)
    {
        var response = await client.PostAsJsonAsync("/v1/webhooks", new { url = new Uri(receiver.Address, "/hooks/leads").ToString(), eventTypes, description = "CRM sync" });
        var webhook = await response.ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal($"/v1/webhooks/{webhook.Id()}", response.Headers.Location?.ToString());
        Assert.StartsWith("whsec_", webhook.Str("secret"), StringComparison.Ordinal);
        return webhook;
    }

    private static async Task<List<ReceivedRequest>> WaitForAsync(WebhookReceiver receiver, int count)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (receiver.Requests.Count < count)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The receiver got {receiver.Requests.Count} of {count} requests in {Patience.TotalSeconds} s.");
            await Task.Delay(50);
        }

        return [.. receiver.Requests];
    }

    private static async Task<JsonElement> WaitUntilAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var read = await client.GetJsonAsync(path);
            if (done(read))
            {
                return read;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{path} did not get there in {Patience.TotalSeconds} s: {read}");
            await Task.Delay(100);
        }
    }
}
