using System.Text;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Formats;

/// <summary>Text vector files are read a bounded line at a time, and a damaged first GloVe row is not trusted.</summary>
public sealed class BoundedReadTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(VectorFileFormat.GloVeText, "a 1 2\n", 2)]
    [InlineData(VectorFileFormat.Word2VecText, "2 2\na 1 2\n", 3)]
    public void Load_LineLongerThanMaxLineLength_ThrowsNamingFileAndLine(VectorFileFormat format, string before, int line)
    {
        string path = Write(before + "b" + string.Concat(Enumerable.Repeat(" 0.5", 300)) + "\n");
        var options = new VectorFileLoadOptions { Format = format, MaxLineLength = 1024 };

        Action load = () => WordVectorsFile.Load(path, options);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"'{path}' line {line}: the line is longer than 1,024 bytes (VectorFileLoadOptions.MaxLineLength); is this a vectors file?");
    }

    [Fact]
    public void Load_FileWithoutLineEnds_StopsAtTheLimitInsteadOfReadingItWhole()
    {
        // 8 MiB of digits and spaces: detected as GloVe text; the limit ends the first line's search after 4 KiB.
        string path = Write("w" + string.Concat(Enumerable.Repeat(" 0", 4 << 20)));

        Action load = () => WordVectorsFile.Load(path, new VectorFileLoadOptions { MaxLineLength = 4096 });

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' line 1: the line is longer than 4,096 bytes*");
    }

    [Fact]
    public void Load_GloVeCutInsideItsFirstRow_IsRefusedRatherThanLoadedAsOneShortVector()
    {
        string whole = "king 0.1 0.2 0.3 0.4\nqueen 0.5 0.6 0.7 0.8\n";
        string path = Write(whole[..12]);

        Action load = () => WordVectorsFile.Load(path, VectorFileFormat.GloVeText);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' line 1: the first vector has no line end*");
    }

    [Fact]
    public void Load_GloVeOfOneCompleteRow_Loads()
    {
        string path = Write("king 0.1 0.2 0.3\n");

        using WordVectors vectors = WordVectorsFile.Load(path, VectorFileFormat.GloVeText);

        vectors.Vocabulary.Words.Should().Equal("king");
        vectors.Dimensions.Should().Be(3);
    }

    [Fact]
    public void Load_MaxLineLengthBelowOne_IsRejected()
    {
        Action validate = () => new VectorFileLoadOptions { MaxLineLength = 0 }.Validate();

        validate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxLineLength must be *(was 0)*");
    }

    private string Write(string text)
    {
        string path = _folder.File("vectors.txt");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
