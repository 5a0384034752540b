using System.Text;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests.Reliability;

/// <summary>
/// Issue 15, bounded reads, on small files: corpora are read in records of at most 1 Mi characters (a longer line split
/// at whitespace, or cut with one warning), structured files refuse a line past the bound, and sparse files of zeros
/// (which cost no disk) are refused before they are read. benchmarks/reliability/bounded.sh runs the 1 GB and 200 MB
/// cases and measures peak RSS.
/// </summary>
public sealed class BoundedReadTests : IDisposable
{
    private const int CorpusRecordLength = 1 << 20;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Vocab_OneLineOfWordsLongerThanTheRecordBound_CountsEveryWordAsIfTheLineWereSplit()
    {
        // 3 MiB of words without a newline: split at whitespace, so no word is cut and every count is exact.
        string[] words = ["alpha", "alpha", "alpha", "beta", "beta", "gamma"];
        int repeats = (3 * CorpusRecordLength) / 33;
        string line = string.Join(' ', Enumerable.Range(0, repeats * words.Length).Select(i => words[i % words.Length]));
        string path = Write("one-line.txt", line);

        Tool.Result result = Tool.Run("vocab", "--input", path, "--min-count", "1");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().NotContain("warning");
        result.StandardOutput.Should().Be($"alpha {3 * repeats}\nbeta {2 * repeats}\ngamma {repeats}\nvocab_size 3\n");
    }

    [Fact]
    public void Preprocess_LineWithoutWhitespacePastTheBound_IsCutWithOneWarning()
    {
        string path = Write("no-spaces.txt", new string('a', (2 * CorpusRecordLength) + 10) + "\n" + new string('b', CorpusRecordLength + 1));
        string output = _temp.File("out.txt");

        Tool.Result result = Tool.Run("preprocess", "--input", path, "--output", output);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Split('\n').Count(l => l.StartsWith("warning: ", StringComparison.Ordinal)).Should().Be(1);
        result.StandardError.Should().Contain($"warning: '{path}' line 1 has no whitespace in 1 Mi characters");
        File.ReadAllLines(output).Select(l => l.Length).Should().Equal(CorpusRecordLength, CorpusRecordLength, 10, CorpusRecordLength, 1);
    }

    [Fact]
    public void Ppmi_ReadingACutLineTwice_WarnsOnce()
    {
        string path = Write("no-spaces.txt", new string('x', CorpusRecordLength + 1));

        Tool.Result result = Tool.Run("ppmi", "--input", path, "--output", _temp.File("out.bin"), "--dim", "2");

        result.ExitCode.Should().Be(1);
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().SatisfyRespectively(
            warning => warning.Should().StartWith($"warning: '{path}' line 1 has no whitespace"),
            error => error.Should().StartWith("error: "));
    }

    [Theory]
    [InlineData("--similarity")]
    [InlineData("--analogies")]
    public void Evaluate_SetWithALineLongerThan64Mi_FailsNamingFileAndLine(string option)
    {
        // One line of letters longer than the bound (zeros would be refused earlier, as binary data).
        string set = _temp.File("long-line.txt");
        using (var file = File.Create(set))
        {
            byte[] letters = new byte[1 << 20];
            Array.Fill(letters, (byte)'a');
            for (int mebibyte = 0; mebibyte <= 64; mebibyte++)
            {
                file.Write(letters);
            }
        }

        string vectors = Write("vectors.txt", "king 0.1 0.2\nqueen 0.2 0.1\n");

        Tool.Result result = Tool.Run("evaluate", "--vectors", vectors, option, set);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: '{set}' line 1 is longer than 64 Mi characters; is it the right file?\n");
    }

    [Theory]
    [InlineData("similar --vectors {0} --word king")]
    [InlineData("preprocess --input {1} --stopwords {0}")]
    [InlineData("vocab --input {0}")]
    public void Commands_GivenALargeSparseFileOfZeros_FailInOneLineWithoutReadingIt(string arguments)
    {
        string zeros = Sparse("zeros.bin", 1L << 30);
        string corpus = Write("corpus.txt", "the cat sat\n");

        Tool.Result result = Tool.Run([.. arguments.Split(' ').Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, zeros, corpus))]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith($"error: '{zeros}'").And.Contain("binary").And.EndWith("\n");
        result.StandardError.Count(c => c == '\n').Should().Be(1);
    }

    private string Write(string name, string text)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private string Sparse(string name, long length)
    {
        string path = _temp.File(name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
        return path;
    }
}
