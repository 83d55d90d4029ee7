namespace LeadsApi.Webhooks;

/// <summary>No subscription with this id belongs to the caller; another owner's is reported the same way.</summary>
public sealed class WebhookNotFoundException(Guid webhookId) : Exception($"No webhook with id {webhookId} belongs to your key.");

/// <summary>The subscription has no delivery with this id.</summary>
public sealed class DeliveryNotFoundException(Guid deliveryId) : Exception($"This webhook has no delivery with id {deliveryId}.");
