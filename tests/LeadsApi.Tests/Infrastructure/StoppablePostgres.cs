using System.Net;
using System.Net.Sockets;
using LeadsApi.LocalDatabase;
using Npgsql;
using Testcontainers.PostgreSql;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own, which the test stops and starts again on the same address, as an
/// outage looks to the service. Local server binaries when there are any, else a container with a fixed port.
/// </summary>
public sealed class StoppablePostgres : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"leadsapi-outage-{Guid.NewGuid():N}");
    private LocalPostgresCluster? _cluster;
    private PostgreSqlContainer? _container;
    private int _port;

    public string ConnectionString { get; private set; } = "";

    public static async Task<StoppablePostgres> StartAsync()
    {
        var server = new StoppablePostgres();
        if (LocalPostgresCluster.FindBinaries() is not null)
        {
            server._cluster = await LocalPostgresCluster.StartAsync(server._folder, deleteOnDispose: true, port: null, CancellationToken.None);
            server._port = server._cluster.Port;
            server.ConnectionString = server._cluster.ConnectionString("leads");
        }
        else
        {
            server._port = FreePort();
            server._container = new PostgreSqlBuilder("postgres:15-bookworm").WithPortBinding(server._port, 5432).Build();
            await server._container.StartAsync();
            server.ConnectionString = new NpgsqlConnectionStringBuilder(server._container.GetConnectionString()) { Port = server._port }.ConnectionString;
        }

        return server;
    }

    public async Task StopAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }
        else
        {
            await _container!.StopAsync();
        }
    }

    public async Task StartAgainAsync()
    {
        if (_cluster is not null)
        {
            _cluster = await LocalPostgresCluster.StartAsync(_folder, deleteOnDispose: true, _port, CancellationToken.None);
        }
        else
        {
            await _container!.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
