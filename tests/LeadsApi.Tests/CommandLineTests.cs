using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

/// <summary>The executable's command line: help, usage errors (exit code 2) and failures (exit code 1), without a database.</summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string?> NoSettings = [];
    private static readonly string[] Commands = ["admin", "database", "health", "openapi"];
    private static readonly string[] DatabaseCommands = ["start", "stop", "url"];

    [Fact]
    public async Task Help_ListsEveryCommand_OnStandardOutput()
    {
        var (exit, output, _) = await ServiceProcess.RunAsync(NoSettings, "--help");

        Assert.Equal(0, exit);
        Assert.All(Commands, command => Assert.Contains($"  {command} ", output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseHelp_ListsStartStopAndUrl()
    {
        var (exit, output, _) = await ServiceProcess.RunAsync(NoSettings, "database", "--help");

        Assert.Equal(0, exit);
        Assert.All(DatabaseCommands, command => Assert.Contains($"  {command} ", output, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("make-coffee")]
    [InlineData("database")]
    [InlineData("database", "restart")]
    [InlineData("health", "not a url")]
    public async Task UsageErrors_Exit2_WithTheUsageOnStandardError(params string[] arguments)
    {
        var (exit, output, error) = await ServiceProcess.RunAsync(NoSettings, arguments);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AgainstNothingListening_Exits1()
    {
        var (exit, _, error) = await ServiceProcess.RunAsync(NoSettings, "health", "http://127.0.0.1:9/health/live");

        Assert.Equal(1, exit);
        Assert.Contains("http://127.0.0.1:9/health/live", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOptions_FailEveryCommandThatComposesTheApp_WithTheirMessage()
    {
        var (exit, output, error) = await ServiceProcess.RunAsync(
            new Dictionary<string, string?> { ["Leads__ResponseWindow"] = "-01:00:00" }, "database", "url");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("Leads:ResponseWindow and Leads:HotWindow must be positive.", error, StringComparison.Ordinal);
    }
}
