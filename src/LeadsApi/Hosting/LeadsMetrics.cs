using System.Diagnostics.Metrics;
using LeadsApi.Persistence;
using LeadsApi.Webhooks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LeadsApi.Hosting;

/// <summary>
/// The service's own figures, beside the HTTP server's, the HTTP client's and Npgsql's: webhook deliveries by outcome,
/// the outbox's delivery lag and queue depth, and what the background workers got done. Scraped at /metrics.
/// The meter comes from the host's <see cref="IMeterFactory"/>, which owns it and disposes it with the host.
/// </summary>
public sealed class LeadsMetrics
{
    public const string MeterName = "LeadsApi";

    /// <summary>How often the queue figures are read from the database, at most.</summary>
    private static readonly TimeSpan QueueRefresh = TimeSpan.FromSeconds(5);

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _reminders;
    private QueueFigures _queue = new(0, 0, 0, DateTimeOffset.MinValue);

    public LeadsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _deliveries = _meter.CreateCounter<long>("leadsapi.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts, by outcome (delivered, failed, gone) and event type.");
        _deliveryDuration = _meter.CreateHistogram<double>("leadsapi.webhook.delivery.duration", "s",
            "How long webhook receivers took to answer.");
        _expired = _meter.CreateCounter<long>("leadsapi.expiry_sweep.expired", "{lead}", "Leads the expiry sweep wrote down as expired.");
        _reminders = _meter.CreateCounter<long>("leadsapi.reminders.sent", "{reminder}", "Reminders (lead.expiring, lead.hotExpiring) emitted.");
        _meter.CreateObservableGauge("leadsapi.outbox.lag", () => _queue.LagSeconds, "s",
            "Age of the oldest event not yet delivered to every webhook that wants it (0 when none waits).");
        _meter.CreateObservableGauge("leadsapi.webhook.queue.depth", () => _queue.PendingDeliveries, "{delivery}",
            "Webhook deliveries waiting for an attempt or a retry.");
        _meter.CreateObservableGauge("leadsapi.outbox.unfanned", () => _queue.UnfannedEvents, "{event}",
            "Outbox events not yet turned into webhook deliveries.");
    }

    public void Attempted(string eventType, WebhookAttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result.Succeeded ? "delivered" : result.StatusCode == StatusCodes.Status410Gone ? "gone" : "failed";
        _deliveries.Add(1, new("outcome", outcome), new("event_type", eventType));
        _deliveryDuration.Record(result.Latency.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Expired(int count) => _expired.Add(count);

    public void RemindersSent(int count) => _reminders.Add(count);

    /// <summary>Reads the queue figures again when the last reading is older than a few seconds.</summary>
    public async Task RefreshQueueAsync(BackgroundDatabase database, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (now - _queue.ReadAt < QueueRefresh)
        {
            return;
        }

        await using var db = database.CreateContext();
        var row = await db.Database.SqlQuery<QueueRow>($"""
            SELECT
                (SELECT count(*) FROM leads.webhook_deliveries WHERE state = 'pending') AS pending,
                (SELECT count(*) FROM leads.events WHERE fanned_out_at IS NULL) AS unfanned,
                least(
                    (SELECT min(occurred_at) FROM leads.events WHERE fanned_out_at IS NULL),
                    (SELECT min(created_at) FROM leads.webhook_deliveries WHERE state = 'pending')) AS oldest
            """).SingleAsync(cancellationToken);
        _queue = new QueueFigures(
            row.Pending, row.Unfanned, row.Oldest is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, now);
    }

    private sealed record QueueFigures(long PendingDeliveries, long UnfannedEvents, double LagSeconds, DateTimeOffset ReadAt);

    private sealed record QueueRow(long Pending, long Unfanned, DateTimeOffset? Oldest);
}

public static class MetricsExtensions
{
    public const string Section = "Metrics";

    /// <summary>
    /// OpenTelemetry metrics: ASP.NET Core's (request rate and latency per route), the HTTP client's (webhook calls), Npgsql's
    /// and the service's own; a Prometheus scrape endpoint, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT (or
    /// Metrics:OtlpEndpoint) is set.
    /// </summary>
    public static IHostApplicationBuilder AddLeadsMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<LeadsMetrics>();
        var otlp = builder.Configuration[$"{Section}:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("leadsapi"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(LeadsMetrics.MeterName)
                    .AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(exporter => exporter.Endpoint = new Uri(otlp));
                }
            });
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
            metrics.AddView(OwnMetersOnly(services.GetRequiredService<IMeterFactory>())));
        return builder;
    }

    /// <summary>
    /// Drops the instruments of meters that another host's <see cref="IMeterFactory"/> made. The SDK subscribes to meters by
    /// name across the whole process and merges instruments of the same name into one stream, which it retires when any of
    /// their meters is disposed: with several hosts in one process (the HTTP tests), a host that stopped took the others'
    /// ASP.NET Core counters (rate limiting, requests) off their /metrics for good (open-telemetry/opentelemetry-dotnet#6412).
    /// Meters made without a factory (Npgsql's, the HTTP client's without IHttpClientFactory) are process-wide and kept.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnMetersOnly(IMeterFactory own) => instrument =>
        instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null;

    /// <summary>The Prometheus scrape endpoint, at /metrics, outside authentication: expose it only where scrapers run.</summary>
    public static WebApplication MapLeadsMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription().DisableRateLimiting();
        return app;
    }
}
