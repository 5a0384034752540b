namespace Embeddings.Benchmarks;

/// <summary>Finds ../shared/data beside the repository, from wherever BenchmarkDotNet runs the process.</summary>
internal static class SharedDataPath
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            }
        }

        throw new DirectoryNotFoundException("Could not find the repository (Embeddings.sln) above " + AppContext.BaseDirectory);
    }
}
