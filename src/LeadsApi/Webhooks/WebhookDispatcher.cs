using System.Collections.Concurrent;
using System.Globalization;
using LeadsApi.Leads;
using LeadsApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Webhooks;

/// <summary>
/// Delivers events to webhooks, at least once. It fans each new outbox event out into one delivery per subscription
/// that wants it, then leases due deliveries and sends them, signed. Both steps claim rows with FOR UPDATE SKIP LOCKED,
/// so any number of instances share the work without doing anything twice; a lease that runs out (its dispatcher died
/// mid-attempt) makes the delivery due again, with the same webhook-id. At most
/// <see cref="WebhooksOptions.MaxConcurrentPerSubscription"/> deliveries to one subscription are in flight at once, across
/// instances, so a slow receiver holds a few slots and the others go on.
/// </summary>
public sealed partial class WebhookDispatcher(
    BackgroundDatabase database, WebhookTransport transport, TimeProvider time, IOptions<WebhooksOptions> options,
    Hosting.LeadsMetrics metrics, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int FanOutBatchSize = 500;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();
    private readonly WebhooksOptions _options = options.Value;

    /// <summary>Makes the dispatcher look for work now rather than at its next tick.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Fans out every new event and delivers everything due, waiting for the attempts; for tests and the command line.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await FanOutAsync(cancellationToken) == FanOutBatchSize)
        {
        }

        while (await ClaimAndStartAsync(cancellationToken) > 0)
        {
            await Task.WhenAll(_inFlight.Values);
        }

        await Task.WhenAll(_inFlight.Values);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = 0;
            try
            {
                await FanOutAsync(stoppingToken);
                started = await ClaimAndStartAsync(stoppingToken);
                await metrics.RefreshQueueAsync(database, time.GetUtcNowMicroseconds(), stoppingToken);
                failures = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is down or overloaded: log, and wait longer each time (up to 30 s) rather than every tick.
                LogFailed(e);
                failures++;
                await Task.Delay(Backoff(failures), stoppingToken);
            }

            if (started == 0)
            {
                // Nothing claimed (or no slot free): wait for a tick, a wake-up or a finished attempt.
                await WaitAsync(stoppingToken);
            }
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, _options.DispatchInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16))));

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        tick.CancelAfter(_options.DispatchInterval);
        try
        {
            var finished = _inFlight.IsEmpty ? Task.Delay(Timeout.Infinite, tick.Token) : Task.WhenAny(_inFlight.Values);
            await Task.WhenAny(_wake.WaitAsync(tick.Token), finished);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }

        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// One delivery per subscription that wants it, for a batch of events not fanned out yet; returns how many events. A
    /// subscription gets the events that happened from its creation on (earlier ones it can ask for with a replay).
    /// </summary>
    private async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var now = time.GetUtcNowMicroseconds();
        return await db.Database.ExecuteSqlAsync($"""
            WITH batch AS (
                SELECT partner_id, id, recipient, recipient_id, type, occurred_at FROM leads.events
                WHERE fanned_out_at IS NULL ORDER BY sequence LIMIT {FanOutBatchSize} FOR UPDATE SKIP LOCKED),
            made AS (
                INSERT INTO leads.webhook_deliveries
                    (subscription_id, id, message_id, event_type, event_partner_id, event_id, state, created_at, next_attempt_at, failed_attempts, attempts)
                SELECT s.id, gen_random_uuid(), b.id, b.type, b.partner_id, b.id, 'pending', {now}, {now}, 0, '[]'::jsonb
                FROM batch b JOIN leads.webhook_subscriptions s ON s.owner_kind = b.recipient AND s.owner_id = b.recipient_id
                WHERE s.enabled AND s.created_at <= b.occurred_at
                  AND (cardinality(s.event_types) = 0 OR b.type = ANY(s.event_types)))
            UPDATE leads.events e SET fanned_out_at = {now} FROM batch b WHERE e.partner_id = b.partner_id AND e.id = b.id
            """, cancellationToken);
    }

    /// <summary>Leases due deliveries up to the free slots and the per-subscription bound, and starts sending them.</summary>
    private async Task<int> ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        var free = _options.DispatchBatchSize - _inFlight.Count;
        if (free <= 0)
        {
            return 0;
        }

        var now = time.GetUtcNowMicroseconds();
        var lease = now + LeaseLength;
        List<Claimed> claimed;
        await using (var db = database.CreateContext())
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // First lock the subscriptions with due deliveries that no other instance is claiming for. The next statement's
            // snapshot is taken once these locks are held, so it sees every lease another instance committed for them: the
            // bound per subscription holds across instances, and no delivery is leased twice.
            var subscriptions = await db.Database.SqlQuery<Guid>($"""
                SELECT s.id AS "Value" FROM leads.webhook_subscriptions s
                WHERE s.enabled AND EXISTS (
                    SELECT 1 FROM leads.webhook_deliveries d
                    WHERE d.subscription_id = s.id AND d.state = 'pending' AND d.next_attempt_at <= {now}
                      AND (d.leased_until IS NULL OR d.leased_until <= {now}))
                LIMIT {free} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            var ids = subscriptions.ToArray();
            claimed = ids.Length == 0 ? [] : await db.Database.SqlQuery<Claimed>($"""
                WITH busy AS (
                    SELECT d.subscription_id, count(*) AS n FROM leads.webhook_deliveries d
                    WHERE d.subscription_id = ANY({ids}) AND d.state = 'pending' AND d.leased_until > {now}
                    GROUP BY d.subscription_id),
                due AS (
                    SELECT d.subscription_id, d.id,
                           row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.id) AS rn
                    FROM leads.webhook_deliveries d
                    WHERE d.subscription_id = ANY({ids}) AND d.state = 'pending' AND d.next_attempt_at <= {now}
                      AND (d.leased_until IS NULL OR d.leased_until <= {now})),
                chosen AS (
                    SELECT due.subscription_id, due.id FROM due LEFT JOIN busy ON busy.subscription_id = due.subscription_id
                    WHERE due.rn <= {_options.MaxConcurrentPerSubscription} - coalesce(busy.n, 0)
                    ORDER BY due.rn LIMIT {free})
                UPDATE leads.webhook_deliveries d SET leased_until = {lease}
                FROM chosen
                WHERE d.subscription_id = chosen.subscription_id AND d.id = chosen.id
                  AND d.state = 'pending' AND (d.leased_until IS NULL OR d.leased_until <= {now})
                RETURNING d.subscription_id, d.id
                """).ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var delivery in claimed)
        {
            var attempt = Task.Run(() => DeliverAsync(delivery, lease, cancellationToken), CancellationToken.None);
            _inFlight[delivery.Id] = attempt;
            _ = attempt.ContinueWith(_ => _inFlight.TryRemove(delivery.Id, out Task? _), TaskScheduler.Default);
        }

        return claimed.Count;
    }

    /// <summary>Long enough for one attempt and its bookkeeping; a dispatcher gone for longer loses the delivery to another.</summary>
    private TimeSpan LeaseLength => TimeSpan.FromMicroseconds(Math.Ceiling((_options.RequestTimeout * 2).TotalMicroseconds));

    private async Task DeliverAsync(Claimed claimed, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = database.CreateContext();
            var delivery = await db.WebhookDeliveries.AsNoTracking()
                .SingleAsync(d => d.SubscriptionId == claimed.SubscriptionId && d.Id == claimed.Id, cancellationToken);
            var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == claimed.SubscriptionId, cancellationToken);
            var body = delivery.Payload ?? await db.Events.AsNoTracking()
                .Where(e => e.PartnerId == delivery.EventPartnerId && e.Id == delivery.EventId)
                .Select(e => e.Payload)
                .SingleAsync(cancellationToken);

            var at = time.GetUtcNowMicroseconds();
            var result = await transport.SendAsync(
                new Uri(subscription.Url), delivery.MessageId.ToString(), at, body, subscription.SigningSecrets(at), cancellationToken);
            metrics.Attempted(delivery.EventType, result);
            await RecordAsync(db, claimed, lease, at, result, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease runs out and another dispatcher (or this one, restarted) delivers it with the same webhook-id.
        }
        catch (Exception e)
        {
            LogDeliveryFailed(claimed.Id, e);
        }
    }

    /// <summary>
    /// Logs the attempt and, while this dispatcher still holds the lease, moves the delivery on: delivered, due again later,
    /// or failed for good. A lease that ran out (another dispatcher took the delivery) or that a redelivery cleared leaves
    /// the state to whoever holds the delivery now.
    /// </summary>
    private async Task RecordAsync(
        LeadsDbContext db, Claimed claimed, DateTimeOffset lease, DateTimeOffset at, WebhookAttemptResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var error = result.Error is { Length: > WebhookDelivery.MaxErrorLength } long_ ? long_[..WebhookDelivery.MaxErrorLength] : result.Error;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The subscription's row first, as deleting the subscription locks them (it, then its deliveries): a delete racing
        // this attempt waits for it or goes first, instead of deadlocking on the row the health update below needs.
        await db.Database.ExecuteSqlAsync(
            $"SELECT 1 FROM leads.webhook_subscriptions WHERE id = {claimed.SubscriptionId} FOR NO KEY UPDATE", cancellationToken);
        var delivery = await db.WebhookDeliveries
            .FromSql($"SELECT * FROM leads.webhook_deliveries WHERE subscription_id = {claimed.SubscriptionId} AND id = {claimed.Id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (delivery is null)
        {
            return; // Deleted with its subscription meanwhile.
        }

        delivery.Attempts = [.. delivery.Attempts.TakeLast(WebhookDelivery.MaxAttemptsKept - 1),
            new DeliveryAttempt(at, result.StatusCode, (long)result.Latency.TotalMilliseconds, error)];
        if (delivery.LeasedUntil == lease)
        {
            delivery.LeasedUntil = null;
            MoveOn(delivery, result, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await RecordOnSubscriptionAsync(db, delivery.SubscriptionId, at, result, error, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private void MoveOn(WebhookDelivery delivery, WebhookAttemptResult result, DateTimeOffset now)
    {
        if (result.Succeeded)
        {
            delivery.State = DeliveryState.Delivered;
            delivery.NextAttemptAt = null;
            return;
        }

        delivery.FailedAttempts++;
        var waits = _options.RetryWaits;
        if (result.StatusCode != StatusCodes.Status410Gone && delivery.FailedAttempts <= waits.Count)
        {
            delivery.NextAttemptAt = now + Jittered(waits[delivery.FailedAttempts - 1]);
        }
        else
        {
            delivery.State = DeliveryState.Failed;
            delivery.NextAttemptAt = null;
        }
    }

    /// <summary>The subscription's health, in one statement so concurrent attempts never overwrite each other's.</summary>
    private async Task RecordOnSubscriptionAsync(
        LeadsDbContext db, Guid subscriptionId, DateTimeOffset at, WebhookAttemptResult result, string? error, CancellationToken cancellationToken)
    {
        if (result.Succeeded)
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE leads.webhook_subscriptions
                SET last_success_at = greatest(last_success_at, {at}), failing_since = NULL
                WHERE id = {subscriptionId}
                """, cancellationToken);
            return;
        }

        var gone = result.StatusCode == StatusCodes.Status410Gone
            ? string.Create(CultureInfo.InvariantCulture, $"The receiver answered 410 Gone at {at:O}, so deliveries stopped. Enable the webhook again to resume.")
            : null;
        var failingTooLong = string.Create(CultureInfo.InvariantCulture,
            $"Every delivery failed for {_options.DisableAfterFailingFor.TotalDays:0.#} days (the last at {at:O}: {error}), so deliveries stopped. Fix the receiver, enable the webhook again, and replay what it missed.");
        var disableBefore = at - _options.DisableAfterFailingFor;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE leads.webhook_subscriptions
            SET last_failure_at = {at}, last_failure_status_code = {result.StatusCode}::integer, last_failure_error = {error}::text,
                failing_since = coalesce(failing_since, {at}),
                enabled = enabled AND {gone}::text IS NULL AND coalesce(failing_since, {at}) > {disableBefore},
                disabled_reason = CASE
                    WHEN NOT enabled THEN disabled_reason
                    WHEN {gone}::text IS NOT NULL THEN {gone}::text
                    WHEN coalesce(failing_since, {at}) <= {disableBefore} THEN {failingTooLong}
                    ELSE NULL END
            WHERE id = {subscriptionId}
            """, cancellationToken);
    }

    private TimeSpan Jittered(TimeSpan wait) =>
        wait * (1 + (_options.RetryJitter * ((Random.Shared.NextDouble() * 2) - 1)));

    private sealed record Claimed(Guid SubscriptionId, Guid Id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatcher failed")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} could not be attempted")]
    private partial void LogDeliveryFailed(Guid deliveryId, Exception exception);
}
