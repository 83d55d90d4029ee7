using System.Globalization;

namespace LeadsApi.Events;

/// <summary>The <c>Events</c> configuration section: the change feed's retention and the reminders.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>How long events are kept, for the change feed and for replays; a feed cursor older than this gets 410.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a read in commit order (a feed page, a delta sync page of GET /v1/leads?sort=updatedAt) waits, at most, for
    /// the transactions open when it came in to end (the horizon is the oldest transaction open anywhere in the cluster).
    /// Longer makes a page more complete; a transaction still open after it comes in a later page, never skipped.
    /// </summary>
    public TimeSpan FeedCatchUpWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When to remind the partner that a received lead expires, comma-separated TimeSpans before respondBy.</summary>
    public string ExpiringReminders { get; set; } = "3.00:00:00,1.00:00:00";

    /// <summary>When to remind the partner that a lead's hot window closes, comma-separated TimeSpans before it does.</summary>
    public string HotExpiringReminders { get; set; } = "12:00:00";

    /// <summary>Whether this instance schedules reminders and prunes old events; any number of instances may.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often the scheduler looks for reminders that are due.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many leads one scheduler transaction claims at most.</summary>
    public int SchedulerBatchSize { get; set; } = 500;

    public IReadOnlyList<TimeSpan> ExpiringOffsets => Offsets(ExpiringReminders);

    public IReadOnlyList<TimeSpan> HotExpiringOffsets => Offsets(HotExpiringReminders);

    public bool IsValid() =>
        Retention > TimeSpan.Zero && FeedCatchUpWait >= TimeSpan.Zero && FeedCatchUpWait <= TimeSpan.FromSeconds(30)
        && SchedulerInterval > TimeSpan.Zero && SchedulerInterval <= TimeSpan.FromDays(30) && SchedulerBatchSize > 0
        && ParsesAsOffsets(ExpiringReminders) && ParsesAsOffsets(HotExpiringReminders);

    private static bool ParsesAsOffsets(string text)
    {
        try
        {
            return Offsets(text).All(o => o > TimeSpan.Zero);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static List<TimeSpan> Offsets(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(o => TimeSpan.Parse(o, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()];
}
