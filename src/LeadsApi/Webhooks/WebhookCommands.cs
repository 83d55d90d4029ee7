using LeadsApi.Leads;
using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Webhooks;

public sealed record CreateWebhook(Caller Caller, CreateWebhookRequest Body) : ICommand<WebhookResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed record ListWebhooks(Caller Caller) : IQuery<WebhookList>;

public sealed record GetWebhook(Caller Caller, Guid WebhookId) : IQuery<WebhookResponse>;

public sealed record UpdateWebhook(Caller Caller, Guid WebhookId, UpdateWebhookRequest Body) : ICommand<WebhookResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed record DeleteWebhook(Caller Caller, Guid WebhookId) : ICommand;

public sealed record RotateWebhookSecret(Caller Caller, Guid WebhookId) : ICommand<WebhookResponse>;

/// <summary>The caller's subscriptions: a partner's admins manage the partner's, a sender its own; anyone else's is not found.</summary>
public sealed class WebhookSubscriptions(LeadsDbContext db, WebhookUrlGuard guard, TimeProvider time, IOptions<WebhooksOptions> options)
    : ICommandHandler<CreateWebhook, WebhookResponse>, IQueryHandler<ListWebhooks, WebhookList>, IQueryHandler<GetWebhook, WebhookResponse>,
      ICommandHandler<UpdateWebhook, WebhookResponse>, ICommandHandler<DeleteWebhook>, ICommandHandler<RotateWebhookSecret, WebhookResponse>
{
    public async ValueTask<WebhookResponse> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        var url = await CheckedUrlAsync(command.Body.Url!, cancellationToken);
        var (kind, owner) = EventRecipients.Of(command.Caller);
        var now = time.GetUtcNowMicroseconds();
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now),
            OwnerKind = kind,
            OwnerId = owner,
            Url = url,
            EventTypes = [.. command.Body.EventTypes ?? []],
            Description = command.Body.Description?.Trim(),
            Enabled = command.Body.Enabled ?? true,
            Secret = WebhookSecret.New(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.From(subscription, pending: 0, withSecret: true);
    }

    public async ValueTask<WebhookList> Handle(ListWebhooks query, CancellationToken cancellationToken)
    {
        var (kind, owner) = EventRecipients.Of(query.Caller);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.OwnerKind == kind && s.OwnerId == owner)
            .OrderBy(s => s.Id)
            .ToListAsync(cancellationToken);
        var ids = subscriptions.Select(s => s.Id).ToList();
        var pending = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => ids.Contains(d.SubscriptionId) && d.State == DeliveryState.Pending)
            .GroupBy(d => d.SubscriptionId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return new WebhookList([.. subscriptions.Select(s => WebhookResponse.From(s, pending.GetValueOrDefault(s.Id)))]);
    }

    public async ValueTask<WebhookResponse> Handle(GetWebhook query, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().OwnedByAsync(query.Caller, query.WebhookId, cancellationToken);
        return WebhookResponse.From(subscription, await PendingAsync(subscription.Id, cancellationToken));
    }

    public async ValueTask<WebhookResponse> Handle(UpdateWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        var body = command.Body;
        if (body.Holds(nameof(body.Url)))
        {
            subscription.Url = await CheckedUrlAsync(body.Url!, cancellationToken);
        }

        if (body.Holds(nameof(body.EventTypes)))
        {
            subscription.EventTypes = [.. body.EventTypes ?? []];
        }

        if (body.Holds(nameof(body.Description)))
        {
            subscription.Description = body.Description?.Trim();
        }

        if (body.Holds(nameof(body.Enabled)) && body.Enabled != subscription.Enabled)
        {
            subscription.Enabled = body.Enabled!.Value;
            // Enabled again: the failures that disabled it are the past.
            subscription.DisabledReason = null;
            subscription.FailingSince = null;
        }

        subscription.UpdatedAt = time.GetUtcNowMicroseconds();
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.From(subscription, await PendingAsync(subscription.Id, cancellationToken));
    }

    public async ValueTask<Unit> Handle(DeleteWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }

    /// <summary>A new secret; the old one keeps signing (a second signature) for the overlap, so receivers can switch without a gap.</summary>
    public async ValueTask<WebhookResponse> Handle(RotateWebhookSecret command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.OwnedByAsync(command.Caller, command.WebhookId, cancellationToken);
        var now = time.GetUtcNowMicroseconds();
        subscription.PreviousSecret = subscription.Secret;
        subscription.PreviousSecretExpiresAt = now + options.Value.SecretRotationOverlap;
        subscription.Secret = WebhookSecret.New();
        subscription.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.From(subscription, await PendingAsync(subscription.Id, cancellationToken), withSecret: true);
    }

    private async Task<string> CheckedUrlAsync(string text, CancellationToken cancellationToken)
    {
        var url = text.Trim();
        if (await guard.CheckAsync(new Uri(url, UriKind.Absolute), cancellationToken) is { } refused)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["url"] = [refused] });
        }

        return url;
    }

    private Task<int> PendingAsync(Guid subscriptionId, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == subscriptionId && d.State == DeliveryState.Pending, cancellationToken);
}

public static class WebhookQueries
{
    /// <summary>The caller's subscription with this id; another owner's is not found, never forbidden.</summary>
    public static async Task<WebhookSubscription> OwnedByAsync(
        this IQueryable<WebhookSubscription> subscriptions, Caller caller, Guid webhookId, CancellationToken cancellationToken)
    {
        var (kind, owner) = EventRecipients.Of(caller);
        return await subscriptions.FirstOrDefaultAsync(s => s.Id == webhookId && s.OwnerKind == kind && s.OwnerId == owner, cancellationToken)
            ?? throw new WebhookNotFoundException(webhookId);
    }
}
