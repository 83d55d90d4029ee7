using System.Diagnostics;
using System.Text;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// The Standard Webhooks signature as a receiver would check it without our code or the StandardWebhooks package:
/// openssl's HMAC-SHA256 of "id.timestamp.body" under the secret's key. openssl is required (CI has it).
/// </summary>
public static class OpensslSignature
{
    /// <summary>The v1 signature of the message under <paramref name="secret"/>, computed by openssl.</summary>
    public static async Task<string> ComputeAsync(string secret, string id, string timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var hexKey = Convert.ToHexString(Convert.FromBase64String(secret["whsec_".Length..]));
        var start = new ProcessStartInfo("openssl", ["dgst", "-sha256", "-mac", "HMAC", "-macopt", $"hexkey:{hexKey}", "-binary"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var openssl = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start; install it (CI does).");
        await openssl.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        await openssl.StandardInput.BaseStream.WriteAsync(body);
        openssl.StandardInput.Close();
        using var mac = new MemoryStream();
        await openssl.StandardOutput.BaseStream.CopyToAsync(mac);
        await openssl.WaitForExitAsync();
        Assert.True(openssl.ExitCode == 0, await openssl.StandardError.ReadToEndAsync());
        return "v1," + Convert.ToBase64String(mac.ToArray());
    }

    /// <summary>Asserts the request carries a valid signature for each secret, and nothing else in webhook-signature.</summary>
    public static async Task AssertSignedAsync(ReceivedRequest request, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = new List<string>();
        foreach (var secret in secrets)
        {
            expected.Add(await ComputeAsync(secret, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body));
        }

        Assert.Equal(expected.Order(), request.Headers["webhook-signature"].Split(' ').Order());
    }
}
