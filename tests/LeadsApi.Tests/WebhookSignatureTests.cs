using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeadsApi.Webhooks;
using Xunit.Sdk;

namespace LeadsApi.Tests;

/// <summary>
/// Signatures a receiver can check with any HMAC-SHA256: recomputed by Node's crypto and by openssl from the
/// secret, id, timestamp and body alone, and compared with the Standard Webhooks spec's own test vector.
/// Node and openssl are required (CI installs them): without them these tests fail, they do not skip.
/// </summary>
public sealed class WebhookSignatureTests
{
    // From the Standard Webhooks repository's library tests (go, javascript, php, java, csharp all agree).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private const string NodeHmac = """
        const crypto = require('crypto');
        const secret = process.env.WEBHOOK_SECRET;
        const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
        const body = require('fs').readFileSync(0);
        const content = Buffer.concat([Buffer.from(`${process.env.WEBHOOK_ID}.${process.env.WEBHOOK_TIMESTAMP}.`, 'utf8'), body]);
        process.stdout.write(crypto.createHmac('sha256', key).update(content).digest('base64'));
        """;

    public static TheoryData<string> Bodies => new()
    {
        """{"event":"lead.accepted","leadId":"0190b7e2-6c1d-7c3e-9f4a-1b2c3d4e5f60"}""",
        """{"name":"Zoë O'Brien \"Grüße\" – 東京 🚀","note":"a\\b\n$HOME `id` $(id)"}""",
        "",
    };

    [Fact]
    public void Sign_SpecTestVector_GivesTheSpecSignature()
    {
        Assert.Equal(SpecSignature, WebhookSigner.Sign(SpecMessageId, DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp), SpecPayload, [SpecSecret]));
    }

    [Fact]
    public void Sign_TwoSecrets_GivesOneSignatureForEachSpaceSeparated()
    {
        var (old, current) = (WebhookSecret.New(), WebhookSecret.New());
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        var header = WebhookSigner.Sign("msg_1", timestamp, "{}", [old, current]);

        var signatures = header.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.All(signatures, s => Assert.StartsWith("v1,", s, StringComparison.Ordinal));
        Assert.Equal(WebhookSigner.Sign("msg_1", timestamp, "{}", [old]), signatures[0]);
        Assert.Equal(WebhookSigner.Sign("msg_1", timestamp, "{}", [current]), signatures[1]);
        Assert.NotEqual(signatures[0], signatures[1]);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Sign_Body_IsWhatNodeCryptoComputes(string body)
    {
        var (secret, timestamp) = (WebhookSecret.New(), DateTimeOffset.FromUnixTimeSeconds(1_800_000_123));

        var node = await RunAsync("node", ["-e", NodeHmac], body, new()
        {
            ["WEBHOOK_SECRET"] = secret,
            ["WEBHOOK_ID"] = "msg_node",
            ["WEBHOOK_TIMESTAMP"] = "1800000123",
        });

        Assert.Equal("v1," + Encoding.ASCII.GetString(node), WebhookSigner.Sign("msg_node", timestamp, body, [secret]));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Sign_Body_IsWhatOpensslComputes(string body)
    {
        var (secret, timestamp) = (WebhookSecret.New(), DateTimeOffset.FromUnixTimeSeconds(1_800_000_456));
        var hexKey = Convert.ToHexString(Convert.FromBase64String(secret[WebhookSecret.Prefix.Length..]));

        var mac = await RunAsync("openssl", ["dgst", "-sha256", "-mac", "HMAC", "-macopt", $"hexkey:{hexKey}", "-binary"], $"msg_openssl.1800000456.{body}", []);

        Assert.Equal("v1," + Convert.ToBase64String(mac), WebhookSigner.Sign("msg_openssl", timestamp, body, [secret]));
    }

    [Fact]
    public async Task Sign_SpecTestVector_IsWhatOpensslComputes()
    {
        var hexKey = Convert.ToHexString(Convert.FromBase64String(SpecSecret[WebhookSecret.Prefix.Length..]));

        var mac = await RunAsync(
            "openssl",
            ["dgst", "-sha256", "-mac", "HMAC", "-macopt", $"hexkey:{hexKey}", "-binary"],
            $"{SpecMessageId}.{SpecTimestamp.ToString(CultureInfo.InvariantCulture)}.{SpecPayload}",
            []);

        Assert.Equal(SpecSignature, "v1," + Convert.ToBase64String(mac));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Sign_MalformedSecret_Throws(string secret)
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.Sign("msg_1", DateTimeOffset.UnixEpoch, "{}", [secret]));
    }

    [Fact]
    public void Sign_NoSecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.Sign("msg_1", DateTimeOffset.UnixEpoch, "{}", []));
    }

    // The body goes in on standard input as UTF-8 bytes and the rest in the environment: nothing passes
    // through a shell, so quotes, $ and backticks in the body stay bytes.
    private static async Task<byte[]> RunAsync(string tool, string[] arguments, string input, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw FailException.ForFailure($"'{tool}' could not be started ({e.Message}). It checks the signatures independently; install it (CI does).");
        }

        using (process)
        {
            var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(input));
            process.StandardInput.Close();
            await Task.WhenAll(reading, error, process.WaitForExitAsync());
            Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await error}");
            return output.ToArray();
        }
    }
}
