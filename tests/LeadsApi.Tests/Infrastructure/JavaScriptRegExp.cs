using System.Diagnostics;
using System.Text.Json;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// Node.js evaluating the contract's patterns as a JavaScript client does (new RegExp(pattern), with
/// and without the u flag), so tests compare the server with JavaScript rather than with itself.
/// One process answers every question of a test run, a line each.
/// </summary>
public sealed class JavaScriptRegExp : IDisposable
{
    private const string Script = """
        const lines = require('readline').createInterface({ input: process.stdin });
        lines.on('line', line => {
          const { pattern, value } = JSON.parse(line);
          const answer = [new RegExp(pattern).test(value), new RegExp(pattern, 'u').test(value)];
          process.stdout.write(JSON.stringify(answer) + '\n');
        });
        """;

    private readonly Process _node;
    private readonly Lock _gate = new();

    public JavaScriptRegExp()
    {
        var start = new ProcessStartInfo("node", ["-e", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            _node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("These tests run the contract's patterns in Node.js: install node (the contract checks in .ci need it too).", e);
        }
    }

    /// <summary>Whether the pattern matches; throws when the two JavaScript readings of it disagree.</summary>
    public bool Test(string pattern, string value)
    {
        bool[] answer;
        lock (_gate)
        {
            _node.StandardInput.WriteLine(JsonSerializer.Serialize(new { pattern, value }));
            answer = JsonSerializer.Deserialize<bool[]>(_node.StandardOutput.ReadLine() ?? throw new InvalidOperationException("node stopped."))!;
        }

        return answer[0] == answer[1]
            ? answer[0]
            : throw new InvalidOperationException($"/{pattern}/ and /{pattern}/u disagree on {JsonSerializer.Serialize(value)}.");
    }

    public void Dispose()
    {
        _node.StandardInput.Close();
        if (!_node.WaitForExit(5000))
        {
            _node.Kill();
        }

        _node.Dispose();
    }
}
