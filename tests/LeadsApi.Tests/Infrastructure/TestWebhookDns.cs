using System.Net;
using System.Net.Sockets;
using LeadsApi.Webhooks;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// A resolver that answers what a test says: each lookup of a host takes its next answer, the last one repeating,
/// so a name can resolve to a public address at registration and to loopback at connect time. An unknown host
/// does not resolve.
/// </summary>
public sealed class TestWebhookDns : IWebhookDns
{
    private readonly Dictionary<string, IPAddress[][]> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _lookups = new(StringComparer.OrdinalIgnoreCase);

    public TestWebhookDns Answers(string host, params string[][] inOrder)
    {
        lock (_answers)
        {
            _answers[host] = [.. inOrder.Select(answer => answer.Select(IPAddress.Parse).ToArray())];
        }

        return this;
    }

    public int LookupsOf(string host)
    {
        lock (_answers)
        {
            return _lookups.GetValueOrDefault(host);
        }
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        lock (_answers)
        {
            var lookup = _lookups[host] = _lookups.GetValueOrDefault(host) + 1;
            return _answers.TryGetValue(host, out var answers)
                ? Task.FromResult(answers[Math.Min(lookup, answers.Length) - 1])
                : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        }
    }
}
