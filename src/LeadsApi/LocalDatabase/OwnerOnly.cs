namespace LeadsApi.LocalDatabase;

/// <summary>Makes a file or folder of secrets readable by its owner only.</summary>
internal static class OwnerOnly
{
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, Directory.Exists(path) ? mode | UnixFileMode.UserExecute : mode);
    }
}
