using System.Text.RegularExpressions;
using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed class QuijoteSkipGramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void Run_WholeNovel_PrintsNeighboursAnalogyAndWritesTheMap()
    {
        string data = SharedDataFolder.Require("quijote/quijote.txt.gz");
        using var output = new TempDirectory();
        string map = output.File("map.svg");

        // One thread: reproducible neighbours.
        SampleProcess.Result result = SampleProcess.Run("QuijoteSkipGram", ["--data", data, "--epochs", "5", "--threads", "1", "--map", map], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1.").Should().Be("1. Don Quijote: 37,681 lines, 10,893 sentences, 184,387 words after stopwords", "the Gutenberg header and licence are cut");
        SampleOutput.Line(lines, "2. Skip-gram:").Should().StartWith("2. Skip-gram: 5,092 words × 100, 5 epochs");
        Words(SampleOutput.Line(lines, "rocinante")).Should().IntersectWith(["rucio", "jumento", "asno", "ancas", "riendas", "silla"]);
        Words(SampleOutput.Line(lines, "caballero")).Should().IntersectWith(["caballería", "caballerías", "escudero", "andante", "valiente", "caballeros"]);
        Words(SampleOutput.Line(lines, "4. quijote : rocinante :: sancho :")).Should().IntersectWith(["rucio", "jumento", "asno"], "Sancho rides a donkey");

        string svg = File.ReadAllText(map);
        svg.Should().StartWith("<?xml").And.Contain("<svg");
        Regex.Count(svg, "<ellipse").Should().Be(200, "OxyPlot draws each word's round marker as an ellipse");
        svg.Should().Contain(">rocinante<").And.Contain(">sancho<");
    }

    [Fact]
    public void Run_WithoutSharedData_TrainsOnTheEmbeddedChapters()
    {
        using var empty = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("QuijoteSkipGram", ["--data", empty.Path, "--threads", "2", "--map", empty.File("map.svg")], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        SampleOutput.Line(result.Lines, "1.").Should().StartWith("1. Chapters I–VIII: 1,790 lines");
        File.Exists(empty.File("map.svg")).Should().BeTrue();
    }

    // The words after the last colon of a line (or the whole line), without commas.
    private static string[] Words(string line) =>
        line[(line.LastIndexOf(':') + 1)..].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
}
