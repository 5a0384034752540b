using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed class CountBasedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Run_CorpusPrefix_PrintsBothModelsSideBySide()
    {
        string data = SharedDataFolder.Require("corpus/en.txt.gz", "eval/questions-words.txt", "eval/wordsim353.tsv", "eval/simlex999.txt");

        SampleProcess.Result result = SampleProcess.Run("CountBased", ["--data", data, "--max-lines", "20000", "--epochs", "3", "--threads", "2"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1. Corpus:").Should().StartWith("1. Corpus: 20,000 lines, 416,142 tokens");
        SampleOutput.Line(lines, "2. PPMI + SVD:").Should().StartWith("2. PPMI + SVD: 7,895 words, 853,855 positive PPMI entries");
        SampleOutput.Line(lines, "3. SGNS:").Should().StartWith("3. SGNS: 7,895 words, 3 epochs");
        SampleOutput.Line(lines, "PPMI+SVD").Should().MatchRegex(@"^\s+PPMI\+SVD\s+SGNS$");

        string[] rows = ["analogies, semantic", "analogies, syntactic", "analogies, all", "WordSim-353 (Spearman)", "SimLex-999 (Spearman)"];
        foreach (string row in rows)
        {
            IReadOnlyList<double> scores = SampleOutput.Numbers(SampleOutput.Line(lines, row)[row.Length..]);
            scores.Should().HaveCount(2, row).And.OnlyContain(s => s >= 0 && s <= 1, row);
        }

        // On 400,000 tokens both beat chance clearly on WordSim; PPMI, the better one on small corpora, by more.
        IReadOnlyList<double> wordsim = SampleOutput.Numbers(SampleOutput.Line(lines, rows[3])[rows[3].Length..]);
        wordsim[0].Should().BeGreaterThan(0.35);
        wordsim[1].Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void Run_WithoutSharedData_LearnsTheToyWorldsAnalogies()
    {
        using var empty = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("CountBased", ["--data", empty.Path, "--threads", "1"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        SampleOutput.Line(result.Lines, "1. Corpus:").Should().EndWith("from the toy world");
        IReadOnlyList<double> analogies = SampleOutput.Numbers(SampleOutput.Line(result.Lines, "toy analogies")["toy analogies (accuracy)".Length..]);
        analogies.Should().OnlyContain(accuracy => accuracy > 0.5);
    }
}
