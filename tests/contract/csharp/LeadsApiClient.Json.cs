using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LeadsApi.Client;

/// <summary>
/// Two settings the generated client needs to talk to this contract, through NSwag's
/// UpdateJsonSerializerSettings hook.
/// </summary>
public partial class LeadsApiClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        // NSwag's System.Text.Json output puts an enum converter on single enum properties only; a list
        // of enums gets "TODO(system.text.json): Add ItemConverterType with enum converter when
        // supported". Without a converter of the serializer's own, LeadResponse.allowedActions and
        // Problem.allowedActions (arrays of LeadAction) fail: "The JSON value could not be converted to
        // LeadsApi.Client.LeadAction". JsonStringEnumConverter reads the generated [JsonStringEnumMemberName].
        settings.Converters.Add(new JsonStringEnumConverter());
        settings.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitNullsFromMergePatch } };
    }

    /// <summary>
    /// editDeal and updateWebhook take a JSON merge patch: a member left out stays, a member sent as
    /// null is cleared (or, where it cannot be cleared, rejected). The generated EditDealRequest and
    /// UpdateWebhookRequest are plain classes that write every member, so by default every edit sends
    /// the members it does not set as null: a deal edit sends "dealName": null and fails with 400
    /// validation-failed (and would clear crmId and campaignId); a webhook edit sends "url": null and
    /// "enabled": null and fails the same way, and with those two set, its "eventTypes": null would
    /// silently widen the webhook to every event type. Leaving null members out makes partial edits
    /// work; the price is that this client cannot clear notes, crmId, campaignId, a webhook's
    /// description or its eventTypes with null (an empty eventTypes list still means every type).
    /// </summary>
    private static void OmitNullsFromMergePatch(JsonTypeInfo info)
    {
        if (info.Type != typeof(EditDealRequest) && info.Type != typeof(UpdateWebhookRequest))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            property.ShouldSerialize = static (_, value) => value is not null;
        }
    }
}
