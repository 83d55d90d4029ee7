using System.Text.Json;
using LeadsApi.Leads;
using LeadsApi.Events;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LeadsApi.Webhooks;

/// <summary>The query string of a webhook's delivery log.</summary>
/// <param name="Limit">The most deliveries in the page.</param>
/// <param name="Cursor">The cursor from the previous page's nextLink.</param>
public sealed record DeliveryLogParameters(
    [FromQuery(Name = "limit"), PublishedAs(typeof(int)), Limit(nameof(FieldLimits.DeliveryPageSize))] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    private static readonly string[] Names = ["limit", "cursor"];

    public ListDeliveries ToQuery(Caller caller, Guid webhookId, IEnumerable<string> sent)
    {
        var errors = new ValidationErrors();
        var (limit, cursor) = errors.Page<DeliveryCursor>(Limit, Cursor, FieldLimits.DeliveryPageSize);
        errors.Unknown(sent, Names);
        return errors.IsEmpty ? new ListDeliveries(caller, webhookId, limit, cursor) : throw new RequestValidationException(errors.ToDictionary());
    }
}

public sealed record DeliveryCursor(DateTimeOffset CreatedAt, Guid Id);

public sealed record ListDeliveries(Caller Caller, Guid WebhookId, int Limit, DeliveryCursor? Cursor) : IQuery<DeliveryPage>;

public sealed record Redeliver(Caller Caller, Guid WebhookId, Guid DeliveryId) : ICommand<DeliveryResponse>;

/// <summary>Queue again every event since a time (within the retention) that the webhook wants.</summary>
public sealed record Replay(Caller Caller, Guid WebhookId, DateTimeOffset? Since) : ICommand<ReplayResult>, IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Since is null)
        {
            errors.Add("since", "Required: the time (RFC 3339) to resend events from.");
        }
    }
}

public sealed record SendTestEvent(Caller Caller, Guid WebhookId) : ICommand<DeliveryResponse>;

/// <summary>The body of a webhook.test message.</summary>
/// <param name="Id">The message id, as in webhook-id.</param>
/// <param name="Type">webhook.test.</param>
/// <param name="Timestamp">When it was asked for.</param>
/// <param name="Data">Which webhook it tests.</param>
public sealed record WebhookTestMessage(Guid Id, string Type, DateTimeOffset Timestamp, WebhookTestData Data);

/// <param name="WebhookId">The webhook the test was sent to.</param>
/// <param name="Message">A line for whoever reads the receiver's log.</param>
public sealed record WebhookTestData(Guid WebhookId, string Message);

public sealed class WebhookDeliveries(
    LeadsDbContext db, TimeProvider time, IOptions<EventsOptions> events, IOptions<HttpJsonOptions> json, WebhookDispatcher dispatcher)
    : IQueryHandler<ListDeliveries, DeliveryPage>, ICommandHandler<Redeliver, DeliveryResponse>, ICommandHandler<Replay, ReplayResult>,
      ICommandHandler<SendTestEvent, DeliveryResponse>
{
    public async ValueTask<DeliveryPage> Handle(ListDeliveries query, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().OwnedByAsync(query.Caller, query.WebhookId, cancellationToken);
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id);
        if (query.Cursor is { } cursor)
        {
            // A cursor is opaque text a client can edit: a time with an offset must page on, not reach Npgsql, which sends UTC only.
            var createdAt = cursor.CreatedAt.ToUniversalTime();
            deliveries = deliveries.Where(d => d.CreatedAt < createdAt || (d.CreatedAt == createdAt && d.Id.CompareTo(cursor.Id) < 0));
        }

        var rows = await deliveries.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit
            ? $"/v1/webhooks/{subscription.Id}/deliveries?limit={query.Limit}&cursor={OpaqueCursor.Encode(new DeliveryCursor(page[^1].CreatedAt, page[^1].Id))}"
            : null;
        return new DeliveryPage([.. page.Select(DeliveryResponse.From)], next);
    }

    /// <summary>
    /// Tries the delivery again now, with the same webhook-id and a fresh retry schedule, whatever its state. An attempt in
    /// flight still logs its outcome but no longer decides the state: the redelivery does.
    /// </summary>
    public async ValueTask<DeliveryResponse> Handle(Redeliver command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.SubscriptionId == subscription.Id && d.Id == command.DeliveryId, cancellationToken)
            ?? throw new DeliveryNotFoundException(command.DeliveryId);
        delivery.State = DeliveryState.Pending;
        delivery.NextAttemptAt = time.GetUtcNowMicroseconds();
        delivery.FailedAttempts = 0;
        delivery.LeasedUntil = null;
        // Written whatever was read: an attempt in flight may commit "delivered" between this read and this write, and a
        // column left out because it looked unchanged ("pending" to "pending") would leave the redelivery delivered, and lost.
        var entry = db.Entry(delivery);
        foreach (var property in new[] { nameof(WebhookDelivery.State), nameof(WebhookDelivery.NextAttemptAt), nameof(WebhookDelivery.FailedAttempts), nameof(WebhookDelivery.LeasedUntil) })
        {
            entry.Property(property).IsModified = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Wake();
        return DeliveryResponse.From(delivery);
    }

    public async ValueTask<ReplayResult> Handle(Replay command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        var since = command.Since!.Value;
        var kept = now - events.Value.Retention;
        if (since < kept)
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["since"] = [FormattableString.Invariant($"Events are kept for {events.Value.Retention.TotalDays:0.#} days; since must be after {kept:O}.")],
            });
        }

        var types = subscription.EventTypes.ToArray();
        var queued = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO leads.webhook_deliveries
                (subscription_id, id, message_id, event_type, event_partner_id, event_id, state, created_at, next_attempt_at, failed_attempts, attempts)
            SELECT {subscription.Id}, gen_random_uuid(), e.id, e.type, e.partner_id, e.id, 'pending', {now}, {now}, 0, '[]'::jsonb
            FROM leads.events e
            WHERE e.recipient = {Domain.Leads.Names.Of(subscription.OwnerKind)} AND e.recipient_id = {subscription.OwnerId}
              AND e.occurred_at >= {since} AND (cardinality({types}::text[]) = 0 OR e.type = ANY({types}::text[]))
            """, cancellationToken);
        dispatcher.Wake();
        return new ReplayResult(queued);
    }

    public async ValueTask<DeliveryResponse> Handle(SendTestEvent command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        var id = Guid.CreateVersion7(now);
        var message = new WebhookTestMessage(id, EventTypes.Test, now,
            new WebhookTestData(subscription.Id, "A test from LeadsApi: if you can read this, the webhook works."));
        var delivery = new WebhookDelivery
        {
            SubscriptionId = subscription.Id,
            Id = Guid.CreateVersion7(now),
            MessageId = id,
            EventType = EventTypes.Test,
            Payload = JsonSerializer.Serialize(message, json.Value.SerializerOptions),
            State = DeliveryState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            Attempts = [],
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Wake();
        return DeliveryResponse.From(delivery);
    }
}
