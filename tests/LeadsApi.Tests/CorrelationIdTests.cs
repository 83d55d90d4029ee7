using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>
/// Every answer, from a 200 to a 500, carries X-Correlation-Id, and it is the id on the request's log line,
/// so a client quoting it leads straight to what happened. On a real Kestrel socket, which also shows the
/// answers to bodies that are too large or stop early.
/// </summary>
public sealed class CorrelationIdTests(KestrelLeadsApiFactory api) : IClassFixture<KestrelLeadsApiFactory>
{
    [Fact]
    public async Task EveryStatus_CarriesTheCorrelationIdOfItsRequestLogLine()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var accepted = await sender.AcceptedLeadAsync(partner);
        var path = $"/v1/leads/{accepted.Id()}";
        var anonymous = api.CreateClient();

        var answers = new List<HttpResponseMessage>
        {
            await partner.Admin.GetAsync(path),
            await sender.Client.PostAsJsonAsync("/v1/leads", Api.NewLeadBody(partner.PartnerId)),
            await sender.Client.PostJsonAsync("/v1/leads", """{ "partnerId": 7 }"""),
            await anonymous.GetAsync("/v1/leads"),
            await partner.Reader.PostAsJsonAsync($"{path}/decline", Api.DeclineBody),
            await partner.Admin.GetAsync($"/v1/leads/{Guid.CreateVersion7()}"),
            await partner.Admin.DeleteAsync("/v1/leads"),
            await partner.Admin.PostAsJsonAsync($"{path}/decline", Api.DeclineBody),
            await partner.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = JsonContent.Create(Api.EditBody),
                Headers = { IfMatch = { new EntityTagHeaderValue("\"1\"") } },
            }),
            await sender.Client.PostJsonAsync("/v1/leads", "{\"need\":\"" + new string('x', 100_000) + "\"}"),
            await sender.Client.SendAsync(HttpMethod.Post, "/v1/leads", "{}", "application/json; charset=windows-1252"),
        };
        api.ClockFails = true;
        try
        {
            answers.Add(await partner.Admin.GetAsync(path));
        }
        finally
        {
            api.ClockFails = false;
        }

        Assert.Equal(
            [200, 201, 400, 401, 403, 404, 405, 409, 412, 413, 415, 500],
            answers.Select(a => (int)a.StatusCode));
        foreach (var answer in answers)
        {
            var id = Assert.Single(answer.Headers.GetValues("X-Correlation-Id"));
            ShouldBeLoggedWith(id, (int)answer.StatusCode);
        }

        var internalError = await answers[^1].ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal-error");
        Assert.DoesNotContain("clock", internalError.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Traceparent_ItsTraceIdIsTheCorrelationIdAndTheLogsTraceId()
    {
        var partner = await api.NewPartnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/leads/{Guid.CreateVersion7()}");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var response = await partner.Admin.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "lead-not-found");
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", response.Headers.GetValues("X-Correlation-Id").Single());
        var line = ShouldBeLoggedWith("4bf92f3577b34da6a3ce929d0e0e4736", 404);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", line.TraceId?.ToHexString());
    }

    // Kestrel gives up on a body that stops arriving (240 bytes/s after a 5 s grace) and the app sees a 408.
    [Fact]
    public async Task BodyShorterThanItsContentLength_WhenTheClientWaits_Is408RequestTimeout()
    {
        var sender = await api.NewSenderAsync();

        var (head, body) = await SendRawAsync(PostHead(sender.ApiKey, contentLength: 500) + "{\"partnerId\":", closeWriting: false);

        Assert.StartsWith("HTTP/1.1 408", head, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request-timeout\"", body, StringComparison.Ordinal);
        ShouldBeLoggedWith(CorrelationIdIn(head), 408);
    }

    // A client that hangs up half-way can be answered no more; the service records it as the client's doing (400 or 499).
    [Fact]
    public async Task BodyShorterThanItsContentLength_WhenTheClientHangsUp_IsLoggedAsTheClientsAndNoError()
    {
        var sender = await api.NewSenderAsync();
        var correlationId = $"hang-up-{Guid.NewGuid():N}";
        var head = PostHead(sender.ApiKey, contentLength: 500).Replace("\r\n\r\n", $"\r\nX-Correlation-Id: {correlationId}\r\n\r\n", StringComparison.Ordinal);

        await SendRawAsync(head + "{\"partnerId\":", closeWriting: true);

        // Whether the app reads the early end (400) or sees the connection gone first (499) is a race; neither is an error.
        bool Ours(Serilog.Events.LogEvent e) => e.Properties.TryGetValue("CorrelationId", out var id) && id.ToString() == $"\"{correlationId}\"";
        await PoolSaturationTests.WaitUntilAsync(() => Task.FromResult(api.Logs.Events.Any(e => Ours(e) && e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal))));
        var line = api.Logs.Events.Single(e => Ours(e) && e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal));
        Assert.True(line.Properties["StatusCode"].ToString() is "400" or "499", $"Logged {line.Properties["StatusCode"]}.");
        Assert.DoesNotContain(api.Logs.Events, e => Ours(e) && e.Level >= Serilog.Events.LogEventLevel.Error);
    }

    private Serilog.Events.LogEvent ShouldBeLoggedWith(string correlationId, int status)
    {
        var lines = api.Logs.Events.Where(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal)
            && e.Properties.TryGetValue("CorrelationId", out var id) && id.ToString() == $"\"{correlationId}\"").ToList();
        var line = Assert.Single(lines);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Properties["StatusCode"].ToString());
        return line;
    }

    private static string PostHead(string apiKey, int contentLength) =>
        $"POST /v1/leads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {apiKey}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n";

    private static string CorrelationIdIn(string head) =>
        head.Split("\r\n").Single(h => h.StartsWith("X-Correlation-Id:", StringComparison.OrdinalIgnoreCase))["X-Correlation-Id:".Length..].Trim();

    private async Task<(string Head, string Body)> SendRawAsync(string request, bool closeWriting)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(api.Address.Host, api.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        if (closeWriting)
        {
            socket.Client.Shutdown(SocketShutdown.Send);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        string answer;
        try
        {
            answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (IOException)
        {
            answer = "";
        }

        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return ("(connection closed, no answer) " + answer, "");
        }

        return (answer[..split], answer[(split + 4)..]);
    }
}
