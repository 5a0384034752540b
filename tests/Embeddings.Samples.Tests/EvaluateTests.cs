using System.IO.Compression;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed class EvaluateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void Run_QuickVectorsOnCorpusPrefix_PrintsEverySectionAndBothPairSets()
    {
        string data = SharedDataFolder.Require("corpus/en.txt.gz", "eval/questions-words.txt", "eval/wordsim353.tsv", "eval/simlex999.txt");

        SampleProcess.Result result = SampleProcess.Run("Evaluate", ["--data", data, "--max-lines", "20000", "--threads", "2"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1.").Should().EndWith(": Word2VecBinary, 7,895 words × 100");

        // The 14 sections of Google's questions, then the total; a skipped question is one with a word outside the vocabulary.
        string[] table = [.. lines.SkipWhile(l => !l.TrimStart().StartsWith("section", StringComparison.Ordinal)).Skip(1).Take(15)];
        table.Select(l => l.Trim().Split(' ')[0]).Should().StartWith(["capital-common-countries", "capital-world"]).And.Contain("gram9-plural-verbs");
        table[^1].Should().StartWith("   Total accuracy");
        foreach (string row in table)
        {
            IReadOnlyList<double> numbers = SampleOutput.Numbers(row[31..]);   // past the indent and the name: correct, attempted, accuracy %
            numbers[0].Should().BeLessThanOrEqualTo(numbers[1], row);
            numbers[2].Should().BeApproximately(numbers[1] == 0 ? 0 : 100 * numbers[0] / numbers[1], 0.06, row);
        }

        SampleOutput.Line(lines, "16,893 of 19,544 questions skipped").Should().NotBeEmpty();
        foreach (string set in new[] { "wordsim353.tsv", "simlex999.txt" })
        {
            IReadOnlyList<double> numbers = SampleOutput.Numbers(SampleOutput.Line(lines, set)[set.Length..]);   // scored, OOV %, Pearson, Spearman
            numbers[0].Should().BeGreaterThan(100, set);
            numbers[3].Should().BeInRange(0.05, 1, set);
        }
    }

    public static TheoryData<VectorFileFormat, bool> Formats => new()
    {
        { VectorFileFormat.Word2VecText, false },
        { VectorFileFormat.Word2VecText, true },
        { VectorFileFormat.Word2VecBinary, false },
        { VectorFileFormat.FastTextVec, false },
        { VectorFileFormat.GloVeText, false },
        { VectorFileFormat.Native, false },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Run_VectorsFile_DetectsTheFormatAndAnswersEveryAnalogy(VectorFileFormat format, bool gzip)
    {
        using var folder = new TempDirectory();
        string vectors = WriteToyVectors(folder, format, gzip);
        File.WriteAllText(folder.File("analogies.txt"),
            ": family\nman king woman queen\nwoman queen man king\n: capitals\nfrance paris italy rome\nitaly rome france paris\n");
        File.WriteAllText(folder.File("pairs.tsv"), "# word1\tword2\tscore\nking\tqueen\t8\nman\twoman\t7\nfrance\titaly\t6\nking\tparis\t1\nqueen\trome\t0.5\n");

        SampleProcess.Result result = SampleProcess.Run(
            "Evaluate", ["--vectors", vectors, "--analogies", folder.File("analogies.txt"), "--pairs", folder.File("pairs.tsv"), "--data", folder.Path], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        SampleOutput.Line(result.Lines, "1.").Should().EndWith($": {format}, 8 words × 7");
        SampleOutput.Line(result.Lines, "family").Should().EndWith("2          2   100.0 %");
        SampleOutput.Line(result.Lines, "capitals").Should().EndWith("2          2   100.0 %");
        SampleOutput.Numbers(SampleOutput.Line(result.Lines, "pairs.tsv")["pairs.tsv".Length..])[0].Should().Be(5);
    }

    // Seven features (male, female, royal, -, Italy, France, capital): each analogy is one feature swapped for another.
    private static string WriteToyVectors(TempDirectory folder, VectorFileFormat format, bool gzip)
    {
        string[] words = ["man", "woman", "king", "queen", "france", "italy", "paris", "rome"];
        float[] matrix =
        [
            1, 0, 0, 0, 0, 0, 0,
            0, 1, 0, 0, 0, 0, 0,
            1, 0, 1, 0, 0, 0, 0,
            0, 1, 1, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 1, 0,
            0, 0, 0, 0, 1, 0, 0,
            0, 0, 0, 0, 0, 1, 1,
            0, 0, 0, 0, 1, 0, 1,
        ];
        using var vectors = new WordVectors(Vocabulary.FromWordsInOrder(words), matrix, dimensions: 7);
        string path = folder.File("vectors." + format);
        vectors.Save(path, format);
        if (gzip)
        {
            using (FileStream input = File.OpenRead(path))
            using (var output = new GZipStream(File.Create(path + ".gz"), CompressionLevel.Optimal))
            {
                input.CopyTo(output);
            }

            path += ".gz";
        }

        return path;
    }
}
