using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LeadsApi.Events;

/// <summary>
/// Builds the outbox rows for a lead's recorded changes and reminders: one event for the partner, and one for
/// the sender when the sender hears that type, each with the lead as that recipient may see it.
/// </summary>
public sealed class OutboxWriter(IOptions<LeadsOptions> leads, IOptions<HttpJsonOptions> json)
{
    private readonly TimeSpan _hotWindow = leads.Value.HotWindow;
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    /// <summary>Fields of a change a sender may see, by event type; the status it always sees.</summary>
    private static readonly Dictionary<string, string[]> SenderFields = new(StringComparer.Ordinal)
    {
        [EventTypes.Declined] = ["reason", "notes"],
        [EventTypes.Won] = ["closedOn"],
        [EventTypes.Rerouted] = ["nextLeadId"],
        [EventTypes.RoutingEnded] = ["routingEnd"],
    };

    /// <summary>The events for the changes <paramref name="lead"/> recorded and has not saved yet.</summary>
    public IEnumerable<StoredEvent> ForPendingChanges(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var pending = lead.PendingChanges;
        for (var i = 0; i < pending.Count; i++)
        {
            var change = pending[i];
            // Each recorded change raised the version by one; the last one is the lead's version now.
            var version = lead.Version - (pending.Count - 1 - i);
            var type = EventTypes.Of(change.Kind);
            var changes = Changes(change);
            if (!EventTypes.SenderOnly.Contains(type))
            {
                yield return Partner(lead, type, change.Id, change.At, version, changes, reminder: null);
            }

            if (EventTypes.HeardBySender.Contains(type))
            {
                var visible = SenderFields.GetValueOrDefault(type, []);
                yield return Sender(lead, type, Guid.CreateVersion7(change.At), change.At, version,
                    [.. changes.Where(c => c.Field == "status" || visible.Contains(c.Field))]);
            }
        }
    }

    /// <summary>A reminder for the partner, of what <paramref name="reminder"/> says is due.</summary>
    public StoredEvent Reminder(Lead lead, string type, EventReminder reminder, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return Partner(lead, type, Guid.CreateVersion7(now), now, lead.Version, [], reminder);
    }

    /// <summary>The partner's event for a change of its business profile: the profile as it is now, and the members changed.</summary>
    public StoredEvent ForProfileChange(Partners.PartnerProfileResponse profile, Guid id, DateTimeOffset at, IReadOnlyList<EventFieldChange> changes)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new StoredEvent
        {
            PartnerId = profile.PartnerId,
            Id = id,
            Recipient = EventRecipient.Partner,
            RecipientId = profile.PartnerId,
            Type = EventTypes.ProfileUpdated,
            OccurredAt = at,
            LeadId = null,
            LeadVersion = null,
            Payload = Serialize(new EventMessage(id, EventTypes.ProfileUpdated, at, profile.PartnerId, null, null,
                new EventData(null, changes, Reminder: null, profile))),
        };
    }

    public string Serialize(EventMessage message) => JsonSerializer.Serialize(message, _json);

    public EventMessage Deserialize(string payload) =>
        JsonSerializer.Deserialize<EventMessage>(payload, _json) ?? throw new JsonException("An empty event payload.");

    private StoredEvent Partner(Lead lead, string type, Guid id, DateTimeOffset at, int version, IReadOnlyList<EventFieldChange> changes, EventReminder? reminder) =>
        Stored(lead, EventRecipient.Partner, lead.PartnerId, type, id, at, version,
            JsonSerializer.SerializeToElement(LeadResponse.From(lead, at, _hotWindow, favorite: false), _json), changes, reminder);

    private StoredEvent Sender(Lead lead, string type, Guid id, DateTimeOffset at, int version, IReadOnlyList<EventFieldChange> changes) =>
        Stored(lead, EventRecipient.Sender, lead.Sender.Id, type, id, at, version,
            JsonSerializer.SerializeToElement(SenderLeadResponse.From(lead, at, _hotWindow), _json), changes, reminder: null);

    private StoredEvent Stored(
        Lead lead, EventRecipient recipient, Guid recipientId, string type, Guid id, DateTimeOffset at, int version,
        JsonElement view, IReadOnlyList<EventFieldChange> changes, EventReminder? reminder) => new()
    {
        PartnerId = lead.PartnerId,
        Id = id,
        Recipient = recipient,
        RecipientId = recipientId,
        Type = type,
        OccurredAt = at,
        LeadId = lead.Id,
        LeadVersion = version,
        Payload = Serialize(new EventMessage(id, type, at, lead.PartnerId, lead.Id, version, new EventData(view, changes, reminder))),
    };

    private static List<EventFieldChange> Changes(LeadChange change)
    {
        var changes = new List<EventFieldChange>(change.Changes.Count + 1);
        if (change.FromStatus != change.ToStatus)
        {
            changes.Add(new EventFieldChange("status", change.FromStatus is { } from ? Names.Of(from) : null, Names.Of(change.ToStatus)));
        }

        changes.AddRange(change.Changes.Select(c => new EventFieldChange(c.Field, c.Before, c.After)));
        return changes;
    }
}
