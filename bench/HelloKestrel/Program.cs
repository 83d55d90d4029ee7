using System.Text;

// Kestrel and routing with nothing behind them: every GET answers 200 with one constant JSON body of
// Hello:BodyBytes bytes, the size of the service's answer it is compared with (bench/run.sh passes it).
var builder = WebApplication.CreateBuilder(args);
// No per-request log lines: the framework's own cost is the ceiling being measured.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var size = builder.Configuration.GetValue("Hello:BodyBytes", 1024);
var padding = Math.Max(0, size - "{\"hello\":\"\"}".Length);
var body = Encoding.UTF8.GetBytes("{\"hello\":\"" + new string('x', padding) + "\"}");

var app = builder.Build();
app.MapGet("/{**path}", () => TypedResults.Bytes(body, "application/json"));
app.Run();
