using System.Globalization;
using LeadsApi.Leads;
using LeadsApi.Domain.Leads;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsApi.Events;

/// <summary>The query string of <c>GET /v1/events</c>.</summary>
/// <param name="After">The cursor of the previous page; leave it out to start at the oldest event kept.</param>
/// <param name="Limit">The most events in the page.</param>
public sealed record EventFeedParameters(
    [FromQuery(Name = "after")] string? After,
    [FromQuery(Name = "limit"), PublishedAs(typeof(int)), Limit(nameof(FieldLimits.EventPageSize))] string? Limit)
{
    private static readonly string[] Names = ["after", "limit"];

    public ReadEventFeed ToQuery(Caller caller, IEnumerable<string> sent)
    {
        var errors = new ValidationErrors();
        var limit = errors.Parse<int>("limit", Limit, QueryValues.WholeNumber);
        errors.Range("limit", limit, FieldLimits.EventPageSize);
        EventCursor? after = null;
        if (After is not null && (after = EventCursor.Decode(After)) is null)
        {
            errors.Add("after", "Not a cursor of the change feed; start again without one, or with the cursor a page gave you.");
        }

        errors.Unknown(sent, Names);
        return errors.IsEmpty
            ? new ReadEventFeed(caller, after, limit ?? FieldLimits.EventPageSize.Default)
            : throw new RequestValidationException(errors.ToDictionary());
    }
}

/// <summary>
/// Where a reader of the feed is: after the event of this transaction and sequence, as read at <see cref="ReadAt"/>.
/// The read time says whether the events after it can still all be there.
/// </summary>
public sealed record EventCursor(long TransactionId, long Sequence, DateTimeOffset ReadAt)
{
    public static readonly EventCursor Start = new(0, 0, DateTimeOffset.MinValue);

    public string Encode() => OpaqueCursor.Encode(this);

    public static EventCursor? Decode(string text) => OpaqueCursor.Decode<EventCursor>(text);
}

/// <summary>A page of the change feed.</summary>
/// <param name="Items">The caller's events after the cursor, in transaction order.</param>
/// <param name="Cursor">Where this page ends: pass it as after. Always given, also on an empty page.</param>
/// <param name="NextLink">The next page's address (the same as after=cursor): poll it.</param>
/// <param name="HasMore">True when more events were ready than the page held: read nextLink at once rather than waiting.</param>
public sealed record EventPage(IReadOnlyList<EventMessage> Items, string Cursor, string NextLink, bool HasMore);

/// <summary>The caller's events after a cursor: a partner's users read the partner's, a sender its own.</summary>
public sealed record ReadEventFeed(Caller Caller, EventCursor? After, int Limit) : IQuery<EventPage>;

/// <summary>
/// Reads the feed below the visibility horizon: only events whose transaction id is older than every transaction still
/// open. A transaction that took its id earlier but commits later would otherwise show up behind a cursor that already
/// passed it; below the horizon nothing can commit any more, so ordering by (transaction id, sequence) never skips one.
/// </summary>
public sealed class ReadEventFeedHandler(LeadsDbContext db, OutboxWriter outbox, TimeProvider time, IOptions<EventsOptions> options)
    : IQueryHandler<ReadEventFeed, EventPage>
{
    public async ValueTask<EventPage> Handle(ReadEventFeed query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowMicroseconds();
        var retention = options.Value.Retention;
        var after = query.After ?? EventCursor.Start;
        if (query.After is { } cursor && cursor.ReadAt < now - retention)
        {
            throw new EventCursorExpiredException(retention);
        }

        var (recipient, recipientId) = EventRecipients.Of(query.Caller);
        var horizon = await db.CatchUpAsync(options.Value.FeedCatchUpWait, cancellationToken);
        var keptSince = now - retention;
        var rows = await db.Events.FromSql($"""
                SELECT * FROM leads.events
                WHERE recipient = {Names.Of(recipient)} AND recipient_id = {recipientId}
                  AND (transaction_id, sequence) > ({after.TransactionId}, {after.Sequence})
                  AND transaction_id < {horizon}
                """)
            .AsNoTracking()
            .Where(e => e.OccurredAt >= keptSince)
            .OrderBy(e => e.TransactionId).ThenBy(e => e.Sequence)
            .Take(query.Limit + 1)
            .ToListAsync(cancellationToken);

        var page = rows.Take(query.Limit).ToList();
        var last = page.Count > 0 ? new EventCursor(page[^1].TransactionId, page[^1].Sequence, now) : after with { ReadAt = now };
        var next = last.Encode();
        return new EventPage(
            [.. page.Select(e => outbox.Deserialize(e.Payload))],
            next,
            $"/v1/events?after={next}&limit={query.Limit}",
            rows.Count > query.Limit);
    }
}

/// <summary>The cursor is older than the retention: events after it may have been deleted.</summary>
public sealed class EventCursorExpiredException(TimeSpan retention)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"The cursor is older than the {retention.TotalDays:0.#} days events are kept, so events after it may be gone. Sync the leads again (GET /v1/leads?updatedSince=...), then read the feed from a new cursor."));
