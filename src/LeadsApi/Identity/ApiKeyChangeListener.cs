using LeadsApi.Persistence;
using Npgsql;

namespace LeadsApi.Identity;

/// <summary>
/// Listens on the database's <c>leadsapi_api_keys</c> channel, which a trigger notifies with a key's hash whenever the
/// key is updated (revoked) or deleted, and drops that key from <see cref="ApiKeyCache"/>. It holds one connection of
/// its own: LISTEN needs a session, so behind PgBouncer in transaction mode point <c>ConnectionStrings:LeadsListen</c>
/// at PostgreSQL itself. While it is not connected the cache is not trusted and keys are read from the database.
/// </summary>
public sealed partial class ApiKeyChangeListener(DatabasePools pools, ApiKeyCache cache, ILogger<ApiKeyChangeListener> logger) : BackgroundService
{
    public const string Channel = "leadsapi_api_keys";

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(pools.Listener);
                connection.Notification += (_, e) => cache.Invalidate(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Trust();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                cache.Distrust();
                LogLost(e);
            }

            await Task.Delay(Reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        cache.Distrust();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening for API key changes; keys are read from the database until the listener reconnects")]
    private partial void LogLost(Exception exception);
}
