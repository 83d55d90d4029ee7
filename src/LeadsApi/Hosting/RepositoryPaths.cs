namespace LeadsApi.Hosting;

public static class RepositoryPaths
{
    /// <summary>
    /// The folder holding LeadsApi.sln, found upwards from <paramref name="start"/>: `dotnet run` starts
    /// in the project folder, and the local data and the contract live at the repository root.
    /// </summary>
    public static string? Root(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadsApi.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
