using System.Security.Cryptography;

namespace LeadsApi.LocalDatabase;

/// <summary>The superuser password of a persistent private server, kept in a file only its owner reads.</summary>
internal static class PasswordFile
{
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static async Task<string> ReadOrCreateAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, NewPassword(), cancellationToken);
            OwnerOnly.Restrict(path);
        }

        return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
    }
}
