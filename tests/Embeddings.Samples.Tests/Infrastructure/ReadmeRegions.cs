using System.Text.RegularExpressions;

namespace Embeddings.Samples.Tests.Infrastructure;

/// <summary>
/// The C# blocks of the readmes and the regions of samples/ReadmeSnippets they must equal. A block is announced by a
/// <c>&lt;!-- region NAME --&gt;</c> line right above its <c>```csharp</c> fence; the region is every
/// <c>#region NAME</c> … <c>#endregion</c> part of the snippet files with that name (the usings at the top of a file,
/// then the statements in a method), joined by one blank line. Both sides are compared with their common indentation
/// and trailing spaces removed.
/// </summary>
internal static partial class ReadmeRegions
{
    /// <summary>A fenced C# block: its file and the line of its fence, the region it names (null when no marker precedes it) and its text.</summary>
    public sealed record Block(string File, int Line, string? Region, string Text)
    {
        /// <summary>file:line of the fence.</summary>
        public string Location => $"{File}:{Line}";
    }

    /// <summary>The readmes whose C# blocks must come from the snippets: README.md and each package's.</summary>
    public static IReadOnlyList<string> MarkdownFiles(string root) =>
        [Path.Combine(root, "README.md"), .. Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Every ```csharp block of <paramref name="markdownPath"/>, in order.</summary>
    public static IReadOnlyList<Block> Blocks(string markdownPath, string root)
    {
        string[] lines = File.ReadAllLines(markdownPath);
        string name = Path.GetRelativePath(root, markdownPath).Replace('\\', '/');
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            Match marker = i > 0 ? Marker().Match(lines[i - 1]) : Match.Empty;
            int end = Array.FindIndex(lines, i + 1, line => line.Trim() == "```");
            if (end < 0)
            {
                throw new InvalidDataException($"{name}:{i + 1}: the C# block is never closed.");
            }

            blocks.Add(new Block(name, i + 1, marker.Success ? marker.Groups[1].Value : null, Normalize(lines[(i + 1)..end])));
            i = end;
        }

        return blocks;
    }

    /// <summary>Every named region of the .cs files under <paramref name="folder"/>, its parts joined.</summary>
    public static IReadOnlyDictionary<string, string> Regions(string folder)
    {
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*.cs", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                int end = Array.FindIndex(lines, i + 1, line => line.Trim() == "#endregion");
                if (end < 0)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)}:{i + 1}: #region {start.Groups[1].Value} is never closed.");
                }

                string region = start.Groups[1].Value;
                if (!parts.TryGetValue(region, out List<string>? list))
                {
                    parts[region] = list = [];
                }

                list.Add(Normalize(lines[(i + 1)..end]));
                i = end;
            }
        }

        return parts.ToDictionary(pair => pair.Key, pair => string.Join("\n\n", pair.Value), StringComparer.Ordinal);
    }

    /// <summary>The lines without their common indentation, trailing spaces and leading or trailing blank lines.</summary>
    public static string Normalize(IEnumerable<string> lines)
    {
        string[] trimmed = [.. lines.Select(line => line.TrimEnd())];
        int indent = trimmed.Where(line => line.Length > 0).Select(line => line.Length - line.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", trimmed.Select(line => line.Length > 0 ? line[indent..] : line)).Trim('\n');
    }

    [GeneratedRegex(@"^\s*<!--\s*region\s+(\S+)\s*-->\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\s*#region\s+(\S+)\s*$")]
    private static partial Regex RegionStart();
}
