using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

/// <summary>
/// The readmes' C# code is the code of samples/ReadmeSnippets: each block equals its region there, and that program,
/// which runs every region on small embedded data, succeeds and prints what the readmes say it prints.
/// </summary>
public sealed class ReadmeSnippetsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Readmes_EveryCSharpBlock_EqualsItsRegionInReadmeSnippets()
    {
        string root = SampleProcess.RepositoryRoot();
        IReadOnlyDictionary<string, string> regions = ReadmeRegions.Regions(Path.Combine(root, "samples", "ReadmeSnippets"));
        var problems = new List<string>();
        var shown = new HashSet<string>(StringComparer.Ordinal);

        foreach (ReadmeRegions.Block block in ReadmeRegions.MarkdownFiles(root).SelectMany(file => ReadmeRegions.Blocks(file, root)))
        {
            if (block.Region is null)
            {
                problems.Add($"{block.Location}: a C# block without a '<!-- region NAME -->' line above it (its code must live in samples/ReadmeSnippets).");
            }
            else if (!regions.TryGetValue(block.Region, out string? code))
            {
                problems.Add($"{block.Location}: no '#region {block.Region}' in samples/ReadmeSnippets.");
            }
            else if (code != block.Text)
            {
                // The block's text starts on the line after its fence.
                problems.Add($"{block.File}:{block.Line + FirstDifference(code, block.Text)}: differs from '#region {block.Region}' in samples/ReadmeSnippets from here on:\n"
                    + $"--- region ---\n{code}\n--- markdown ---\n{block.Text}");
            }

            if (block.Region is not null && !shown.Add(block.Region))
            {
                problems.Add($"{block.Location}: the region {block.Region} is shown twice.");
            }
        }

        problems.AddRange(regions.Keys.Where(region => !shown.Contains(region)).Select(region => $"#region {region} is not shown in any readme."));
        problems.Should().BeEmpty("the readmes show the code of samples/ReadmeSnippets (python3 samples/ReadmeSnippets/update-readmes.py copies it)");
    }

    [Fact]
    public void Normalize_IndentedRegionAndFlushBlock_CompareEqual()
    {
        string region = ReadmeRegions.Normalize(["", "        var x = 1;   ", "        {", "            x++;", "        }", ""]);
        string block = ReadmeRegions.Normalize(["var x = 1;", "{", "    x++;", "}"]);

        region.Should().Be(block);
        ReadmeRegions.Normalize(["var x = 1;", "{", "    x--;", "}"]).Should().NotBe(block, "a changed statement is a difference");
    }

    [Fact]
    public void Run_EverySnippet_ExitsZeroAndPrintsWhatTheReadmesSay()
    {
        using var work = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("ReadmeSnippets", [work.Path], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        lines.Should().Contain("@user father dysfunct selfish #run", "the quick start's comment shows the lab's tokens");
        lines.Should().Contain("lug manch cuy nombr quier acord", "the quick start's comment shows the Spanish stems");
        lines.Should().Contain("56 tweets", "tweets.csv holds 56 records");
        After(lines, "== readme:training", 1).Should().Be("queen", "king − father + mother, in the toy world where each couple shares a place");
        SampleOutput.Line(lines, "glove:").Should().EndWith("× 100");
        SampleOutput.Line(lines, "epoch 1: loss").Should().NotBeEmpty();
        SampleOutput.Capture(lines, @"^\d+ words, then (\d+)$").Should().ContainSingle()
            .Which.Should().BeGreaterThan(SampleOutput.Capture(lines, @"^(\d+) words, then \d+$")[0], "the new text brings new words");
        SampleOutput.Line(lines, "pictures:").Should().EndWith("200 words");
        SampleOutput.Capture(lines, @"^inertia [\d.]+, ([\d.]+)x smaller$").Should().ContainSingle().Which.Should().BeGreaterThan(1);
        After(lines, "== readme:classifying", 0).Should().Be("              precision    recall  f1-score   support", "the report's table starts the snippet's output");
        SampleOutput.Line(lines, "Confusion matrix").Should().NotBeEmpty();
        After(lines, "== package:text", -2).Should().Be("1", "the tweet about racism is predicted hateful");
        After(lines, "== readme:subwords", 0).Should().Be("False", "the Quijote never has 'caballeritos'");
        After(lines, "== readme:subwords", 1).Split(", ").Count(word => word.StartsWith("caball", StringComparison.Ordinal))
            .Should().BeGreaterThanOrEqualTo(3, "an unseen diminutive lands near the words it shares n-grams with");
        lines[^1].Should().Be("== all 11 snippets ran");
    }

    /// <summary>The output line <paramref name="offset"/> + 1 lines below the line <paramref name="marker"/>.</summary>
    private static string After(IReadOnlyList<string> lines, string marker, int offset)
    {
        int index = lines.ToList().IndexOf(marker);
        index.Should().BeGreaterThanOrEqualTo(0, $"the output has a '{marker}' line");
        return lines[index + 1 + offset];
    }

    private static int FirstDifference(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }

        return line + 1;
    }
}
