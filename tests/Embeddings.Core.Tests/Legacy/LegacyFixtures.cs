using System.IO.Compression;

namespace Embeddings.Core.Tests.Legacy;

/// <summary>The files under tests/Fixtures/legacy, written by the main branch before the one native frame.</summary>
internal static class LegacyFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy", name);

    /// <summary>The token file every fixture was trained from (the output of <c>embeddings preprocess</c>), line by line.</summary>
    public static IReadOnlyList<string> TokenLines()
    {
        using var gzip = new GZipStream(File.OpenRead(Path("tokens.txt.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>The tokens as the CLI's lm-train reads them: one stream, split on any whitespace.</summary>
    public static string[] Words() => [.. TokenLines().SelectMany(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The first bytes of a file: its magic and version.</summary>
    public static (string Magic, ushort Version) Head(byte[] bytes) =>
        (System.Text.Encoding.ASCII.GetString(bytes, 0, 4), BitConverter.ToUInt16(bytes, 4));
}
