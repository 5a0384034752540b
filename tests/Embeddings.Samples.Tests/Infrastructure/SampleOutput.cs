using System.Globalization;
using System.Text.RegularExpressions;

namespace Embeddings.Samples.Tests.Infrastructure;

/// <summary>Reads figures back from a sample's printed output.</summary>
internal static partial class SampleOutput
{
    /// <summary>Every number in <paramref name="line"/>, parsed in the invariant culture ("3,085" → 3085).</summary>
    public static IReadOnlyList<double> Numbers(string line) =>
        [.. Number().Matches(line).Select(m => double.Parse(m.Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))];

    /// <summary>The first capture group of <paramref name="pattern"/> in each line where it matches, as a number.</summary>
    public static IReadOnlyList<double> Capture(IEnumerable<string> lines, string pattern) =>
        [.. lines.Select(line => Regex.Match(line, pattern)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))];

    /// <summary>The line that starts with <paramref name="prefix"/> once leading spaces are trimmed; fails the test when absent.</summary>
    public static string Line(IEnumerable<string> lines, string prefix) =>
        lines.FirstOrDefault(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No output line starts with '{prefix}'.");

    [GeneratedRegex(@"-?\d[\d,]*(\.\d+)?")]
    private static partial Regex Number();
}
