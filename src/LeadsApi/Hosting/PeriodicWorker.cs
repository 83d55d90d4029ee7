namespace LeadsApi.Hosting;

/// <summary>
/// A background worker that runs one pass at start and then at every tick of its interval, on the service's clock. A
/// pass that fails is logged and the next tick tries again; a pass does its own batching and claiming.
/// </summary>
public abstract partial class PeriodicWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The service's clock, which the interval ticks on.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How long between two passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the worker did in one pass, for the log: "expired leads", "reminders sent".</summary>
    protected abstract string WhatItDid { get; }

    /// <summary>One pass: does all that is due; returns how much it did.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        do
        {
            try
            {
                var done = await RunOnceAsync(stoppingToken);
                if (done > 0)
                {
                    LogDone(GetType().Name, done, WhatItDid);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(GetType().Name, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Worker}: {Count} {What}")]
    private partial void LogDone(string worker, int count, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed; the next tick tries again")]
    private partial void LogFailed(string worker, Exception exception);
}

public static class WorkerRegistration
{
    /// <summary>The worker as a singleton (tests and commands run its passes), and as a hosted service unless <paramref name="enabledKey"/> is false.</summary>
    public static IHostApplicationBuilder AddWorker<TWorker>(this IHostApplicationBuilder builder, string enabledKey)
        where TWorker : class, IHostedService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<TWorker>();
        if (builder.Configuration.GetValue(enabledKey, true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TWorker>());
        }

        return builder;
    }
}
