using LeadsApi.Hosting;

namespace LeadsApi.Events;

public static class EventsExtensions
{
    /// <summary>The outbox's reader side: the change feed's settings, and the reminder scheduler.</summary>
    public static IHostApplicationBuilder AddLeadEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EventsOptions>()
            .Bind(builder.Configuration.GetSection(EventsOptions.Section))
            .Validate(o => o.IsValid(),
                "Events: Retention positive, FeedCatchUpWait 0 to 30 s, SchedulerInterval between 00:00:00.001 and 30.00:00:00, SchedulerBatchSize positive, "
                + "ExpiringReminders and HotExpiringReminders comma-separated positive TimeSpans.")
            .ValidateOnStart();
        return builder.AddWorker<ReminderScheduler>($"{EventsOptions.Section}:{nameof(EventsOptions.SchedulerEnabled)}");
    }
}
