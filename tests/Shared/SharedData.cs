namespace Embeddings.Tests.Infrastructure;

/// <summary>
/// Locates the reference data in <c>../shared/data</c> beside the repository. Tests that need it call
/// <see cref="RequireFile"/>: on a user's clone without that folder they skip with a message; under CI
/// (<c>CI=true</c>) a missing folder fails the test instead, so CI never skips silently.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The absolute path of a file under <c>../shared/data</c>, or a skip / failure when absent.</summary>
    public static string RequireFile(string relativePath)
    {
        string? root = Root.Value;
        string? path = root is null ? null : Path.Combine(root, relativePath);
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        string message = $"Reference data '{relativePath}' not found (looked for ../shared/data beside the repository).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(message + " CI must run with ../shared present.");
        }

        VisibleSkip.Because(message);
        return null!; // unreachable: VisibleSkip.Because throws
    }

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
