using LeadsApi.Webhooks;

namespace LeadsApi.Tests;

public sealed class WebhookSecretTests
{
    [Fact]
    public void New_IsWhsecAndBase64Of32Bytes_DifferentEachTime()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => WebhookSecret.New()).ToList();

        Assert.All(secrets, secret =>
        {
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
            Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
            Assert.True(WebhookSecret.IsWellFormed(secret));
        });
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", true)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_", false)]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", false)]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!", false)]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", false)]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false)]
    [InlineData(null, false)]
    public void IsWellFormed_AcceptsWhsecAndBase64Of24To64Bytes(string? secret, bool wellFormed)
    {
        Assert.Equal(wellFormed, WebhookSecret.IsWellFormed(secret));
    }
}
