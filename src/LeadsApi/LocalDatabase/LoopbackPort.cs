using System.Net;
using System.Net.Sockets;

namespace LeadsApi.LocalDatabase;

internal static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that is free now, for a server that keeps it across restarts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
