using LeadsApi.Hosting;
using LeadsApi.Limits;
using LeadsApi.Problems;

namespace LeadsApi.Webhooks;

/// <summary>A new webhook subscription.</summary>
/// <param name="Url">Where to POST the events: https, and a host that resolves to public addresses only.</param>
/// <param name="EventTypes">The event types to send; leave it out, or empty, for every type you hear.</param>
/// <param name="Description">What the webhook is for, for the people who manage it.</param>
/// <param name="Enabled">Whether to deliver to it; true unless you say otherwise.</param>
[ClosedSchema]
public sealed record CreateWebhookRequest(
    [Limit(nameof(FieldLimits.WebhookUrl))] string? Url,
    [Limit(nameof(FieldLimits.WebhookEventTypes))] IReadOnlyList<string>? EventTypes,
    [Limit(nameof(FieldLimits.WebhookDescription))] string? Description,
    bool? Enabled) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        WebhookFields.Url(errors, Url);
        errors.Codes("eventTypes", EventTypes, FieldLimits.WebhookEventTypes);
        errors.Text("description", Description, FieldLimits.WebhookDescription);
    }
}

/// <summary>
/// A JSON merge patch (RFC 7396) of a webhook subscription: members you leave out stay as they are. Enabling a webhook
/// the service disabled clears its disabledReason; events that happened while it was disabled can be sent with replay.
/// </summary>
public sealed class UpdateWebhookRequest : IValidatable, IMergePatch
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>Where to POST the events; cannot be cleared.</summary>
    [Limit(nameof(FieldLimits.WebhookUrl))]
    public string? Url { get; init { field = value; _present.Add(nameof(Url)); } }

    /// <summary>The event types to send; empty (or null) for every type.</summary>
    [Limit(nameof(FieldLimits.WebhookEventTypes))]
    public IReadOnlyList<string>? EventTypes { get; init { field = value; _present.Add(nameof(EventTypes)); } }

    /// <summary>What the webhook is for; null clears it.</summary>
    [Limit(nameof(FieldLimits.WebhookDescription))]
    public string? Description { get; init { field = value; _present.Add(nameof(Description)); } }

    /// <summary>Whether to deliver to it; cannot be cleared.</summary>
    [Limit(nameof(FieldLimits.Given))]
    public bool? Enabled { get; init { field = value; _present.Add(nameof(Enabled)); } }

    public bool Holds(string member) => _present.Contains(member);

    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Holds(nameof(Url)))
        {
            WebhookFields.Url(errors, Url);
        }

        errors.Codes("eventTypes", EventTypes, FieldLimits.WebhookEventTypes);
        errors.Text("description", Description, FieldLimits.WebhookDescription);
        if (Holds(nameof(Enabled)))
        {
            errors.Given("enabled", Enabled, FieldLimits.Given);
        }
    }
}

internal static class WebhookFields
{
    /// <summary>The URL's shape; where it goes (https, public addresses) the guard checks in the handler, as it resolves the host.</summary>
    public static void Url(ValidationErrors errors, string? url)
    {
        errors.Text("url", url, FieldLimits.WebhookUrl);
        if (url is not null && !Uri.TryCreate(url.Trim(), UriKind.Absolute, out _))
        {
            errors.Add("url", "Not an absolute URL, e.g. https://crm.example.com/hooks/leads.");
        }
    }
}
