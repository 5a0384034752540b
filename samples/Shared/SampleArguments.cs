using System.Globalization;

namespace Embeddings.Samples;

/// <summary>
/// The few command-line options every sample shares: <c>--data DIR</c> and the sample's own <c>--name value</c> pairs.
/// Without <c>--data</c> the samples look for <c>../shared/data</c> beside the repository (the folder that holds
/// Embeddings.sln), walking up from the executable; when neither is there they fall back to embedded data.
/// </summary>
internal sealed class SampleArguments
{
    private readonly Dictionary<string, string> _values;

    private SampleArguments(Dictionary<string, string> values, string? dataDirectory)
    {
        _values = values;
        DataDirectory = dataDirectory;
    }

    /// <summary>The reference data folder, or <see langword="null"/> when the sample runs on embedded data.</summary>
    public string? DataDirectory { get; }

    /// <summary>Reads <c>--name value</c> pairs; <paramref name="options"/> are the names this sample accepts besides <c>--data</c>.</summary>
    public static SampleArguments Parse(string[] args, params string[] options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if ((args[i] != "--data" && !options.Contains(args[i])) || i + 1 == args.Length)
            {
                throw new ArgumentException(
                    $"Unexpected argument '{args[i]}'. Usage: [--data DIR] {string.Join(' ', options.Select(o => $"[{o} VALUE]"))}");
            }

            values[args[i]] = args[i + 1];
        }

        string? data = values.TryGetValue("--data", out string? given) ? Path.GetFullPath(given) : FindSharedData();
        if (data is not null && !Directory.Exists(data))
        {
            throw new DirectoryNotFoundException($"--data: the folder '{data}' does not exist.");
        }

        return new SampleArguments(values, data);
    }

    /// <summary>The path of <paramref name="relativePath"/> under the data folder, or <see langword="null"/> when absent.</summary>
    public string? DataFile(string relativePath) =>
        DataDirectory is { } root && File.Exists(Path.Combine(root, relativePath)) ? Path.Combine(root, relativePath) : null;

    /// <summary>The value of <paramref name="name"/>, or <see langword="null"/>.</summary>
    public string? String(string name) => _values.GetValueOrDefault(name);

    /// <summary>The integer value of <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? FindSharedData()
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
