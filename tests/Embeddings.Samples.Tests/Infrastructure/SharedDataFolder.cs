using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests.Infrastructure;

/// <summary>The <c>--data</c> folder to hand a sample: ../shared/data, checked to hold the files the sample reads.</summary>
internal static class SharedDataFolder
{
    /// <summary>The data folder; skips the test (or fails it under CI) when a file is missing. Paths are relative to it.</summary>
    public static string Require(params string[] relativePaths)
    {
        string first = SharedData.RequireFile(relativePaths[0]);
        foreach (string path in relativePaths.Skip(1))
        {
            SharedData.RequireFile(path);
        }

        // Walk back up from the first file to the folder its relative path starts in.
        string root = first;
        foreach (string _ in relativePaths[0].Split('/'))
        {
            root = Path.GetDirectoryName(root)!;
        }

        return root;
    }
}
