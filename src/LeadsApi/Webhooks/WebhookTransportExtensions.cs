using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LeadsApi.Webhooks;

public static class WebhookTransportExtensions
{
    /// <summary>
    /// The URL guard, the system DNS (unless one is registered already), the <see cref="WebhookTransport"/> and its
    /// <see cref="WebhookTransport.HttpClientName"/> client. Binding <see cref="WebhooksOptions"/> to configuration is
    /// the caller's.
    /// </summary>
    public static IServiceCollection AddWebhookTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WebhooksOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookDns, SystemWebhookDns>();
        services.TryAddSingleton<WebhookUrlGuard>();
        services.TryAddSingleton<WebhookTransport>();
        services.AddHttpClient(WebhookTransport.HttpClientName)
            // WebhookTransport keeps its own deadline over the whole attempt; this bounds any other use of the client.
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<WebhooksOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // A redirect would carry the signed body to a URL nobody registered (plain http, say): a 3xx is a failed attempt.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                // Each new connection resolves the host again and connects only to addresses the guard allows.
                ConnectCallback = provider.GetRequiredService<WebhookUrlGuard>().ConnectAsync,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxResponseDrainSize = 16 * 1024,
            });
        return services;
    }
}
