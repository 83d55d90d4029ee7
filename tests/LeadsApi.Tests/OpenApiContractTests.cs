using LeadsApi.Hosting;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class OpenApiContractTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    [Fact]
    public async Task CheckedInContract_MatchesTheDocumentTheCodeProduces()
    {
        var root = RepositoryPaths.Root(AppContext.BaseDirectory)!;
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(root, OpenApiExport.CheckedInPath));

        var produced = OpenApiExport.Render(api.Services);

        Assert.True(
            checkedIn == produced,
            $"{OpenApiExport.CheckedInPath} is out of date with the code. Regenerate it with "
            + "`dotnet run --project src/LeadsApi -- openapi` and commit it with the change.");
    }

    [Fact]
    public async Task ServedDocument_IsTheCheckedInContract()
    {
        var root = RepositoryPaths.Root(AppContext.BaseDirectory)!;
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(root, OpenApiExport.CheckedInPath));

        var served = await api.CreateClient().GetStringAsync("/swagger/v1/swagger.json");

        Assert.Equal(
            System.Text.Json.JsonDocument.Parse(checkedIn).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name),
            System.Text.Json.JsonDocument.Parse(served).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }
}
