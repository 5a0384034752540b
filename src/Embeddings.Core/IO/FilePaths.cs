namespace Embeddings.Core.IO;

/// <summary>Checks of a path given to read, in the words a user needs.</summary>
internal static class FilePaths
{
    /// <summary>
    /// Throws when <paramref name="path"/> is a folder: opening one fails with "Access to the path … is denied", which
    /// sends a user to the permissions instead of the path.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path is a folder.</exception>
    public static void ThrowIfFolder(string path)
    {
        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is a folder; a file is expected here", path);
        }
    }
}
