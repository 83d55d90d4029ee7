using LeadsApi.Hosting;

namespace LeadsApi.Webhooks;

public static class WebhooksExtensions
{
    /// <summary>Subscriptions, the transport (signing, SSRF guard) and the dispatcher.</summary>
    public static IHostApplicationBuilder AddLeadsWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhooksOptions>()
            .Bind(builder.Configuration.GetSection(WebhooksOptions.Section))
            .Validate(o => o.IsValid(),
                "Webhooks: RequestTimeout 1 s to 5 min, RetrySchedule comma-separated positive TimeSpans, RetryJitter 0-0.5, "
                + "DisableAfterFailingFor and SecretRotationOverlap positive, DispatchInterval 1 ms to 1 h, DispatchBatchSize and MaxConcurrentPerSubscription positive.")
            .ValidateOnStart();
        builder.Services.AddWebhookTransport();
        return builder.AddWorker<WebhookDispatcher>($"{WebhooksOptions.Section}:{nameof(WebhooksOptions.DispatcherEnabled)}");
    }
}
