using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// The service on a real Kestrel socket (loopback, a free port), for what the in-memory server cannot show:
/// body size limits, bodies that stop early, raw bytes on the wire. Every log event is kept, and the clock
/// can be made to fail, which turns the next lead request into an unexpected 500.
/// </summary>
public class KestrelLeadsApiFactory : LeadsApiFactory
{
    public KestrelLeadsApiFactory() => UseKestrel(0);

    public CapturingSink Logs { get; } = new();

    /// <summary>While set, reading the time throws: a fault nothing in the service expects.</summary>
    public bool ClockFails { get; set; }

    public Uri Address => ClientOptions.BaseAddress;

    protected override void StartHost() => StartServer();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<ILogEventSink>(Logs);
        services.AddSingleton<TimeProvider>(new FailingClock(this));
    }

    private sealed class FailingClock(KestrelLeadsApiFactory factory) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() =>
            factory.ClockFails ? throw new InvalidOperationException("The test made the clock fail.") : factory.Clock.GetUtcNow();
    }
}
